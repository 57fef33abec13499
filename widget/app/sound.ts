/** A short two-note chime made with WebAudio (no audio file to download). */
let context: AudioContext | undefined;

function audio(): AudioContext | undefined {
  try {
    context ??= new AudioContext();
    if (context.state === "suspended") {
      void context.resume().catch(() => undefined);
    }
    return context;
  } catch {
    return undefined;
  }
}

/** Browsers start audio only after a user gesture in the frame: called on the first click or key press. */
export function unlockAudio(): void {
  audio();
}

/** Plays the new-reply chime (silently does nothing where audio is not allowed). */
export function chime(): void {
  const ctx = audio();
  if (!ctx || ctx.state !== "running") {
    return;
  }
  const start = ctx.currentTime;
  [880, 1318.5].forEach((frequency, index) => {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    const at = start + index * 0.12;
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.15, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.25);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.3);
  });
}
