/**
 * Pages fetched ahead: as soon as a raw page arrives, requests for the following pages go out,
 * so the upstream serves the next pages while this one is validated and mapped here. Pages are
 * yielded in order. `next` receives the page just received and returns the fetchers of the
 * pages that follow it and are not requested yet (at most `depth` are kept in flight).
 */
export async function* readAhead<Raw>(
  first: () => Promise<Raw>,
  next: (raw: Raw) => (() => Promise<Raw>)[],
  depth = 1,
): AsyncGenerator<Raw> {
  const inFlight: Promise<Raw>[] = [handled(first())];
  const queued: (() => Promise<Raw>)[] = [];
  try {
    while (inFlight.length > 0) {
      const raw = await inFlight.shift()!;
      queued.push(...next(raw));
      while (inFlight.length < depth && queued.length > 0)
        inFlight.push(handled(queued.shift()!()));
      yield raw;
    }
  } finally {
    // A consumer that stops early must not leave requests running past the session's end.
    await Promise.all(inFlight.map((p) => p.catch(() => undefined)));
  }
}

/** The failure is still seen by whoever awaits the promise; this only keeps Node from
 * reporting it as unhandled while the current page is being processed. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
