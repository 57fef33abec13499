/** The next member after the last one served, wrapping around; the first when the last one is gone. */
export function nextInTurn<T extends { id: string }>(candidates: T[], lastId: string | null): T | undefined {
  if (candidates.length === 0) {
    return undefined;
  }
  const index = lastId === null ? -1 : candidates.findIndex((candidate) => candidate.id === lastId);
  return candidates[(index + 1) % candidates.length];
}

/** The member with the fewest open conversations; ties go to whoever comes first. */
export function leastBusy<T extends { id: string }>(candidates: T[], openCounts: ReadonlyMap<string, number>): T | undefined {
  let best: T | undefined;
  let bestCount = Infinity;
  for (const candidate of candidates) {
    const count = openCounts.get(candidate.id) ?? 0;
    if (count < bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}
