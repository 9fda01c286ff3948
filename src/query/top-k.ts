export type SlotComparator = (a: number, b: number) => number;

/**
 * The `k` smallest of `items` by `cmp`, sorted. A page near the top of a large view keeps a
 * max-heap of `k` instead of sorting everything: O(n log k) comparisons, most of them one
 * comparison against the heap's root. May reorder `items`.
 */
export function smallestK(items: Int32Array, k: number, cmp: SlotComparator): Int32Array {
  if (k <= 0) return new Int32Array(0);
  if (k * 4 >= items.length) return items.sort(cmp).subarray(0, Math.min(k, items.length));
  const heap = items.slice(0, k);
  for (let i = (k >>> 1) - 1; i >= 0; i--) siftDown(heap, i, cmp);
  for (let i = k; i < items.length; i++) {
    const item = items[i];
    if (cmp(item, heap[0]) < 0) {
      heap[0] = item;
      siftDown(heap, 0, cmp);
    }
  }
  return heap.sort(cmp);
}

/** Restores the max-heap property below `at`. */
function siftDown(heap: Int32Array, at: number, cmp: SlotComparator): void {
  const size = heap.length;
  const item = heap[at];
  let i = at;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && cmp(heap[child + 1], heap[child]) > 0) child++;
    if (cmp(heap[child], item) <= 0) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = item;
}

/** The `k` smallest of `keys`, ascending: the same heap on plain numbers. May reorder `keys`. */
export function smallestNumbers(keys: Float64Array, k: number): Float64Array {
  if (k <= 0) return new Float64Array(0);
  if (k * 4 >= keys.length) return keys.sort().subarray(0, Math.min(k, keys.length));
  const heap = keys.slice(0, k);
  for (let i = (k >>> 1) - 1; i >= 0; i--) siftDownNumber(heap, i);
  for (let i = k; i < keys.length; i++) {
    if (keys[i] < heap[0]) {
      heap[0] = keys[i];
      siftDownNumber(heap, 0);
    }
  }
  return heap.sort();
}

function siftDownNumber(heap: Float64Array, at: number): void {
  const size = heap.length;
  const item = heap[at];
  let i = at;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child + 1] > heap[child]) child++;
    if (heap[child] <= item) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = item;
}
