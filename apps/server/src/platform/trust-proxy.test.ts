import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../test/test-app.ts';
import { loadConfig } from './config.ts';

// Per-address limits (sign-in codes, sign-in, certificate checks) hold only if a client cannot
// name its own address: X-Forwarded-For is believed only from proxies the operator names.
describe('who the client is', () => {
  let direct: TestContext;
  let proxied: TestContext;
  beforeAll(async () => {
    direct = await createTestApp();
    proxied = await createTestApp({ trustProxy: 1 });
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  const check = (ctx: TestContext, from: string) =>
    ctx.app.inject({ method: 'GET', url: '/api/certificates/CDS-0000-0000-0000/verify', headers: { 'x-forwarded-for': from } });

  it('ignores X-Forwarded-For by default, so a new made-up address each time does not escape the limit', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 31; i++) answers.push((await check(direct, `203.0.113.${i}`)).statusCode);
    expect(answers.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(answers[30]).toBe(429);
  });

  it('believes the address one trusted proxy gives, so phones behind it are limited one by one', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 31; i++) answers.push((await check(proxied, `203.0.113.${i}`)).statusCode);
    expect(answers.every((s) => s === 404)).toBe(true);
  });

  it('refuses TRUST_PROXY=true, and reads a hop count or addresses', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/hop count/);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8' }).trustProxy).toBe('10.0.0.0/8');
  });
});
