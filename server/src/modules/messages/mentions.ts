/** Someone who can be @mentioned. */
export interface Mentionable {
  id: string;
  name: string;
  email: string;
}

const wordChar = /[\p{L}\p{N}_]/u;

/**
 * The members a note mentions: `@` followed by a member's full name, email address or the part of it
 * before `@`, case-insensitively, not running on into another word. Longer names win, so "@Ann Lee" is
 * Ann Lee and not Ann. Each member is returned once, in the order first mentioned.
 */
export function findMentions(content: string, candidates: Mentionable[]): string[] {
  const aliases = candidates
    .flatMap((member) => [member.name, member.email, member.email.split("@")[0] ?? ""].filter((alias) => alias.trim().length > 0).map((alias) => ({ id: member.id, alias: alias.toLowerCase() })))
    .sort((a, b) => b.alias.length - a.alias.length);
  const lower = content.toLowerCase();
  const found: { id: string; at: number }[] = [];
  for (let at = lower.indexOf("@"); at !== -1; at = lower.indexOf("@", at + 1)) {
    if (at > 0 && wordChar.test(lower[at - 1] ?? "")) {
      continue; // part of an email address in the text, not a mention
    }
    const rest = lower.slice(at + 1);
    const match = aliases.find(({ alias }) => rest.startsWith(alias) && !wordChar.test(rest[alias.length] ?? ""));
    if (match && !found.some((entry) => entry.id === match.id)) {
      found.push({ id: match.id, at });
    }
  }
  return found.map((entry) => entry.id);
}
