/**
 * Sends one statement now, so this process can do other work while the database runs it. A
 * drizzle query is sent when its then() is called, and `await` would call it only a microtask
 * later, after whatever synchronous work follows; so then() is called here, at once.
 *
 * The promise is already marked as handled: a failure that arrives while the caller is still
 * busy is not reported as unhandled, it surfaces when the caller awaits it. The caller must await
 * it before sending anything else on the connection (node-postgres is deprecating queued queries)
 * and before leaving the transaction.
 */
export function sendNow<T>(statement: PromiseLike<T>): Promise<T> {
  const sent = new Promise<T>((resolve, reject) => statement.then(resolve, reject));
  sent.catch(() => {});
  return sent;
}
