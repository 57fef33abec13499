/** localStorage that never throws (private windows, full quota). */
export const storage = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string | null): void {
    try {
      if (value === null || value === "") {
        localStorage.removeItem(key);
      } else {
        localStorage.setItem(key, value);
      }
    } catch {
      // Drafts are a convenience; losing one on a full disk is acceptable.
    }
  },
};

/** The composer's unsent text of one conversation, kept across switching and reloads. */
export const drafts = {
  get: (conversationId: string) => storage.get(`parley.draft.${conversationId}`) ?? "",
  set: (conversationId: string, text: string) => storage.set(`parley.draft.${conversationId}`, text.trim() === "" ? null : text),
};
