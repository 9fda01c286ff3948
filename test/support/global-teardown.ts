export default async function globalTeardown(): Promise<void> {
  await globalThis.__CASEBOARD_REDIS__?.stop();
}
