import net from 'node:net';

// Nothing in a test may reach beyond this machine: a connection to any other host fails loudly
// instead of quietly depending on (or leaking to) the internet.
const LOCAL = /^(127\.|::1$|localhost$|0\.0\.0\.0$)/;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string | undefined;
  const host = typeof first === 'object' && first !== null ? (first.path ? 'localhost' : (first.host ?? 'localhost')) : typeof args[1] === 'string' ? args[1] : 'localhost';
  if (!LOCAL.test(host)) throw new Error(`Test tried to reach ${host}: outbound network is not allowed in tests`);
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
