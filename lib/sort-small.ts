/**
 * Sorts an array of strings (by code point) or of numbers in place, ascending. The hot loops sort a handful of
 * items at a time (an object's keys, the rules a text's keywords name): insertion sorts those without the set-up
 * and the allocations of `Array.prototype.sort`, which gets the longer arrays.
 */
export function sortSmall<T extends string | number>(items: T[]): T[] {
  if (items.length > 32) return items.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    let at = i;
    for (; at > 0 && items[at - 1]! > item; at--) items[at] = items[at - 1]!;
    items[at] = item;
  }
  return items;
}
