/**
 * Visits `items` `size` at a time. After each slice it waits for what that slice's visits returned, then
 * for the event loop's next turn (setImmediate), so that a walk over thousands of items never holds the loop
 * for more than one slice: requests and messages arriving meanwhile are served between slices.
 */
export async function visitInSlices<T>(items: readonly T[], size: number, visit: (item: T) => Promise<unknown> | undefined): Promise<void> {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError("a slice holds at least one item");
  }
  for (let start = 0; start < items.length; start += size) {
    if (start > 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const waits: Promise<unknown>[] = [];
    for (const item of items.slice(start, start + size)) {
      const wait = visit(item);
      if (wait) {
        waits.push(wait);
      }
    }
    await Promise.all(waits);
  }
}
