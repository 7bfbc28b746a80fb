// A device handover scheduled in one of the demo volunteer's households, made through the API as
// the city and the ward would: a sponsor and its pledge (city admin), the devices received, one
// allocated and scheduled (the unit's official). Shared by the field browser test and screenshots.
import type { DemoUser } from './demo-session.ts';

interface Api {
  get<T>(path: string, headers?: Record<string, string>): Promise<T>;
  post<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
}

async function signInApi(baseUrl: string, user: { username: string; password: string }): Promise<Api> {
  const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user.username, password: user.password }) });
  if (login.status !== 200) throw new Error(`sign-in of ${user.username}: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  const call = async <T>(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { cookie, ...(method === 'POST' ? { 'content-type': 'application/json', 'x-csrf-token': csrf } : {}), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return { get: (path, headers) => call('GET', path, undefined, headers), post: (path, body, headers) => call('POST', path, body, headers) };
}

export interface ScheduledHandover {
  householdId: number;
  allocationId: number;
  address: string;
  recipientName: string;
  code: string;
}

/** Schedules a handover in the first of the volunteer's households that needs a device. */
export async function scheduleDemoHandover(baseUrl: string, people: { admin: DemoUser; official: DemoUser; volunteer: DemoUser }): Promise<ScheduledHandover> {
  const [admin, official, volunteer] = await Promise.all([signInApi(baseUrl, people.admin), signInApi(baseUrl, people.official), signInApi(baseUrl, people.volunteer)]);
  const unitCode = people.official.units[0]!;
  // The volunteer's households, as their phone would download them.
  const { deviceToken } = await volunteer.post<{ deviceToken: string }>('/api/field/devices', { label: 'Thiết lập thử nghiệm', appVersion: '1.0.0' });
  const bundle = await volunteer.get<{ households: { id: number; unitCode: string }[] }>('/api/field/bundle', { 'x-field-device': deviceToken });
  const mine = new Set(bundle.households.filter((h) => h.unitCode === unitCode).map((h) => h.id));
  const needs = await official.get<{ items: { householdId: number; address: string; allocations?: unknown[]; allocation?: unknown }[] }>(`/api/devices/needs?unit=${unitCode}&limit=200`);
  // Not one given a device already (the list's allocation field is one or several, by version).
  const target = needs.items.find((n) => mine.has(n.householdId) && !n.allocation && !(n.allocations && n.allocations.length > 0));
  if (!target) throw new Error('None of the volunteer’s households needs a device in the demo data');
  const household = await official.get<{ residents: { id: number; fullName: string; age: number | null }[] }>(`/api/households/${target.householdId}`);
  const recipient = household.residents.find((r) => (r.age ?? 0) >= 18) ?? household.residents[0]!;

  const sponsor = await admin.post<{ id: number }>('/api/devices/sponsors', { kind: 'business', name: `Công ty Viễn thông Sao Mai ${Date.now() % 10_000}`, contactPhone: '0281234567' });
  const pledge = await admin.post<{ id: number }>('/api/devices/pledges', { kind: 'device', sponsorId: sponsor.id, model: 'Galaxy A06 4G', network: '4g', quantity: 5 });
  const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  const stock = await official.post<{ id: number }>('/api/devices/deliveries', { pledgeId: pledge.id, unitCode, quantity: 5, receivedOn: today });
  const allocation = await official.post<{ id: number }>('/api/devices/allocations', { householdId: target.householdId, stockId: stock.id });
  const scheduled = await official.post<{ confirmationCode: string }>(`/api/devices/allocations/${allocation.id}/schedule`, { scheduledFor: today, recipientResidentId: recipient.id });
  return { householdId: target.householdId, allocationId: allocation.id, address: target.address, recipientName: recipient.fullName, code: scheduled.confirmationCode };
}
