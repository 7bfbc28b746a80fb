import type { DeliveryCreate, PledgeCreate, PledgeView, SponsorCreate, SponsorView, StockView } from '@cds/contract';
import { deviceDeliveries, devicePledges, deviceStock, sponsors, units, users } from '@cds/db';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';

// Sponsors, their pledges, and the stock units receive from them. None of this is personal data
// of residents; a sponsor's contact is shown to the city and unit officials only.

type SponsorRow = typeof sponsors.$inferSelect;

/** The sponsor a login of role sponsor stands for: an approved one only, whatever state the login is in. */
export async function sponsorOfActor(deps: AppDeps, actor: Actor): Promise<SponsorRow> {
  const [row] = await deps.db.select().from(sponsors).where(and(eq(sponsors.userId, actor.userId), eq(sponsors.status, 'active')));
  if (!row) throw new AppError('SPONSOR_NOT_LINKED');
  return row;
}

const sponsorColumns = {
  sponsor: sponsors,
  username: users.username,
  pledges: sql<number>`(SELECT count(*)::int FROM device_pledges p WHERE p.sponsor_id = ${sponsors.id} AND p.status = 'open')`,
  devicesPledged: sql<number>`(SELECT COALESCE(sum(p.quantity), 0)::int FROM device_pledges p WHERE p.sponsor_id = ${sponsors.id} AND p.status = 'open')`,
};
type SponsorListRow = { sponsor: SponsorRow; username: string | null; pledges: number; devicesPledged: number };

const selectSponsors = (deps: AppDeps) => deps.db.select(sponsorColumns).from(sponsors).leftJoin(users, eq(users.id, sponsors.userId));

/**
 * Sponsors of the city; pending registrations first when no status is asked for, so none is
 * missed. Registrations (pending or declined) and login names are the city's to read: a unit
 * official sees approved sponsors only. A sponsor may be a person, so every list is logged.
 */
export async function listSponsors(deps: AppDeps, actor: Actor, query: { status?: SponsorRow['status'] | undefined } = {}): Promise<SponsorView[]> {
  requireThat(may.readSponsors(actor));
  const city = may.manageSponsors(actor);
  const rows = await selectSponsors(deps)
    .where(
      and(
        eq(sponsors.provinceCode, actor.provinceCode),
        query.status ? eq(sponsors.status, query.status) : undefined,
        city ? undefined : eq(sponsors.status, 'active'),
      ),
    )
    .orderBy(sql`${sponsors.status} = 'pending' DESC`, asc(sponsors.name), asc(sponsors.id));
  await recordAudit(deps.db, actor, { action: 'list', recordType: 'sponsor', recordIds: rows.map((r) => r.sponsor.id), fields: city ? ['contact', 'username'] : ['contact'] });
  return rows.map((r) => presentSponsor(city ? r : { ...r, username: null }));
}

/** One sponsor as the city sees it, for the services that change one. */
export async function sponsorView(deps: AppDeps, actor: Actor, id: number): Promise<SponsorView> {
  const [row] = await selectSponsors(deps).where(and(eq(sponsors.id, id), eq(sponsors.provinceCode, actor.provinceCode)));
  if (!row) throw new AppError('NOT_FOUND');
  return presentSponsor(row);
}

const presentSponsor = ({ sponsor: s, username, pledges, devicesPledged }: SponsorListRow): SponsorView => ({
  id: s.id,
  kind: s.kind,
  name: s.name,
  contactName: s.contactName,
  contactPhone: s.contactPhone,
  contactEmail: s.contactEmail,
  showPublicly: s.showPublicly,
  userId: s.userId,
  pledges: Number(pledges),
  devicesPledged: Number(devicesPledged),
  createdAt: s.createdAt.toISOString(),
  status: s.status,
  taxCode: s.taxCode,
  intent: s.intent,
  username,
  decidedAt: s.decidedAt?.toISOString() ?? null,
  declineReason: s.declineReason,
});

export async function createSponsor(deps: AppDeps, actor: Actor, input: z.infer<typeof SponsorCreate>): Promise<SponsorView> {
  requireThat(may.manageSponsors(actor));
  if (input.userId != null) {
    const [user] = await deps.db.select({ role: users.role, provinceCode: users.provinceCode }).from(users).where(eq(users.id, input.userId));
    if (!user || user.provinceCode !== actor.provinceCode) throw invalid('body.userId', 'Không có tài khoản này');
    if (user.role !== 'sponsor') throw invalid('body.userId', 'Tài khoản gắn với nhà tài trợ phải có vai trò nhà tài trợ');
    const [taken] = await deps.db.select({ id: sponsors.id }).from(sponsors).where(eq(sponsors.userId, input.userId));
    if (taken) throw invalid('body.userId', 'Tài khoản này đã gắn với một nhà tài trợ khác');
  }
  const id = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(sponsors)
      .values({
        provinceCode: actor.provinceCode,
        kind: input.kind,
        name: input.name,
        contactName: input.contactName ?? null,
        contactPhone: input.contactPhone ?? null,
        contactEmail: input.contactEmail ?? null,
        // An individual is named publicly only if they said so; a business or union by default.
        showPublicly: input.showPublicly ?? input.kind !== 'individual',
        userId: input.userId ?? null,
        createdBy: actor.userId,
      })
      .returning();
    if (!row) throw new AppError('INTERNAL');
    await recordAudit(tx, actor, { action: 'create', recordType: 'sponsor', recordIds: [row.id], fields: ['name', 'kind', 'contact'] });
    return row.id;
  });
  return sponsorView(deps, actor, id);
}

const pledgeColumns = {
  pledge: devicePledges,
  sponsorName: sponsors.name,
  allocated: sql<number>`(SELECT count(*)::int FROM device_allocations a JOIN device_stock s ON s.id = a.stock_id WHERE s.pledge_id = ${devicePledges.id} AND a.status <> 'cancelled')`,
  handedOver: sql<number>`(SELECT count(*)::int FROM device_allocations a JOIN device_stock s ON s.id = a.stock_id WHERE s.pledge_id = ${devicePledges.id} AND a.status = 'handed_over')`,
};
type PledgeRow = { pledge: typeof devicePledges.$inferSelect; sponsorName: string; allocated: number; handedOver: number };

export const presentPledge = (r: PledgeRow): PledgeView => ({
  id: r.pledge.id,
  sponsorId: r.pledge.sponsorId,
  sponsorName: r.sponsorName,
  kind: r.pledge.kind,
  model: r.pledge.model,
  network: r.pledge.network,
  quantity: r.pledge.quantity,
  amountVnd: r.pledge.amountVnd,
  subsidyPerDeviceVnd: r.pledge.subsidyPerDeviceVnd,
  deliveryUnitCode: r.pledge.deliveryUnitCode,
  deliveryPlace: r.pledge.deliveryPlace,
  status: r.pledge.status,
  cancelReason: r.pledge.cancelReason,
  received: r.pledge.received,
  allocated: Number(r.allocated),
  handedOver: Number(r.handedOver),
  pledgedAt: r.pledge.pledgedAt.toISOString(),
});

/** Pledges: the city's and unit officials' view of all of them; a sponsor's of their own only. */
export async function listPledges(deps: AppDeps, actor: Actor, query: { sponsor?: number | undefined }): Promise<PledgeView[]> {
  let sponsorId = query.sponsor;
  if (actor.role === 'sponsor') sponsorId = (await sponsorOfActor(deps, actor)).id;
  else requireThat(may.readSponsors(actor));
  const rows = await deps.db
    .select(pledgeColumns)
    .from(devicePledges)
    .innerJoin(sponsors, eq(sponsors.id, devicePledges.sponsorId))
    .where(and(eq(sponsors.provinceCode, actor.provinceCode), sponsorId ? eq(devicePledges.sponsorId, sponsorId) : undefined))
    .orderBy(desc(devicePledges.pledgedAt), desc(devicePledges.id));
  return rows.map(presentPledge);
}

async function pledgeView(db: AppDeps['db'], id: number): Promise<PledgeView> {
  const [row] = await db.select(pledgeColumns).from(devicePledges).innerJoin(sponsors, eq(sponsors.id, devicePledges.sponsorId)).where(eq(devicePledges.id, id));
  if (!row) throw new AppError('NOT_FOUND');
  return presentPledge(row);
}

export async function createPledge(deps: AppDeps, actor: Actor, input: z.infer<typeof PledgeCreate>): Promise<PledgeView> {
  let sponsor: SponsorRow;
  if (actor.role === 'sponsor') sponsor = await sponsorOfActor(deps, actor);
  else {
    requireThat(may.manageSponsors(actor));
    if (input.sponsorId === undefined) throw invalid('body.sponsorId', 'Chọn nhà tài trợ');
    const [found] = await deps.db.select().from(sponsors).where(and(eq(sponsors.id, input.sponsorId), eq(sponsors.provinceCode, actor.provinceCode)));
    if (!found) throw invalid('body.sponsorId', 'Không có nhà tài trợ này');
    if (found.status !== 'active') throw invalid('body.sponsorId', 'Nhà tài trợ này chưa được duyệt');
    sponsor = found;
  }
  requireThat(may.pledgeFor(actor, sponsor));
  if (input.deliveryUnitCode) {
    const [unit] = await deps.db.select({ provinceCode: units.provinceCode }).from(units).where(eq(units.code, input.deliveryUnitCode));
    if (unit?.provinceCode !== sponsor.provinceCode) throw invalid('body.deliveryUnitCode', `Không có đơn vị ${input.deliveryUnitCode} trong thành phố`);
  }
  const quantity = input.kind === 'device' ? input.quantity : Math.floor(input.amountVnd / input.subsidyPerDeviceVnd);
  if (quantity < 1) throw invalid('body.amountVnd', 'Số tiền chưa đủ trợ giá cho một thiết bị');
  const id = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(devicePledges)
      .values({
        sponsorId: sponsor.id,
        kind: input.kind,
        model: input.kind === 'device' ? input.model : null,
        network: input.network,
        quantity,
        amountVnd: input.kind === 'money' ? input.amountVnd : null,
        subsidyPerDeviceVnd: input.kind === 'money' ? input.subsidyPerDeviceVnd : null,
        deliveryUnitCode: input.deliveryUnitCode ?? null,
        deliveryPlace: input.deliveryPlace ?? null,
        createdBy: actor.userId,
      })
      .returning({ id: devicePledges.id });
    if (!row) throw new AppError('INTERNAL');
    await recordAudit(tx, actor, { action: 'create', recordType: 'device_pledge', recordIds: [row.id], detail: { sponsorId: sponsor.id, kind: input.kind, quantity } });
    return row.id;
  });
  return pledgeView(deps.db, id);
}

/** A pledge nothing has arrived from may be withdrawn; after that it is part of the record. */
export async function cancelPledge(deps: AppDeps, actor: Actor, id: number, reason: string): Promise<PledgeView> {
  requireThat(may.manageSponsors(actor));
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ pledge: devicePledges })
      .from(devicePledges)
      .innerJoin(sponsors, eq(sponsors.id, devicePledges.sponsorId))
      .where(and(eq(devicePledges.id, id), eq(sponsors.provinceCode, actor.provinceCode)))
      .for('update', { of: devicePledges });
    if (!row) throw new AppError('NOT_FOUND');
    if (row.pledge.status !== 'open' || row.pledge.received > 0) throw new AppError('DEVICE_WRONG_STATE');
    await tx.update(devicePledges).set({ status: 'cancelled', cancelledAt: new Date(), cancelledBy: actor.userId, cancelReason: reason }).where(eq(devicePledges.id, id));
    await recordAudit(tx, actor, { action: 'update', recordType: 'device_pledge', recordIds: [id], fields: ['status', 'cancel_reason'], detail: { status: 'cancelled', reason } });
  });
  return pledgeView(deps.db, id);
}

const stockColumns = {
  stock: deviceStock,
  unitName: units.name,
  sponsorName: sponsors.name,
  model: devicePledges.model,
  network: devicePledges.network,
};
type StockRow = { stock: typeof deviceStock.$inferSelect; unitName: string; sponsorName: string; model: string | null; network: '4g' | '5g' };
const presentStock = (r: StockRow): StockView => ({
  id: r.stock.id,
  unitCode: r.stock.unitCode,
  unitName: r.unitName,
  pledgeId: r.stock.pledgeId,
  sponsorName: r.sponsorName,
  model: r.model,
  network: r.network,
  received: r.stock.received,
  available: r.stock.available,
  lastReceivedOn: r.stock.lastReceivedOn,
});

function stockQuery(db: AppDeps['db']) {
  return db
    .select(stockColumns)
    .from(deviceStock)
    .innerJoin(units, eq(units.code, deviceStock.unitCode))
    .innerJoin(devicePledges, eq(devicePledges.id, deviceStock.pledgeId))
    .innerJoin(sponsors, eq(sponsors.id, devicePledges.sponsorId));
}

/** A unit's stock (what arrived and what is left), for its officials and the city. */
export async function listStock(deps: AppDeps, actor: Actor, query: { unit?: string | undefined }): Promise<StockView[]> {
  requireThat(may.readDeviceReports(actor));
  const area =
    actor.role === 'city_admin'
      ? eq(deviceStock.provinceCode, actor.provinceCode)
      : actor.unitCodes.length === 0
        ? sql`false`
        : sql`${deviceStock.unitCode} IN (${sql.join(actor.unitCodes.map((c) => sql`${c}`), sql`, `)})`;
  const rows = await stockQuery(deps.db)
    .where(and(area, query.unit ? eq(deviceStock.unitCode, query.unit) : undefined))
    .orderBy(asc(deviceStock.unitCode), asc(deviceStock.id));
  return rows.map(presentStock);
}

/**
 * A unit receives devices of a pledge. The pledge row's received counter (CHECK received <=
 * quantity) and the stock row's counters change in one transaction; two units receiving the
 * last devices of a pledge at once queue on the pledge row, and the second fails the CHECK.
 */
export async function receiveDevices(deps: AppDeps, actor: Actor, input: z.infer<typeof DeliveryCreate>): Promise<StockView> {
  requireThat(may.runDeviceStock(actor, input.unitCode));
  const [unit] = await deps.db.select({ provinceCode: units.provinceCode }).from(units).where(eq(units.code, input.unitCode));
  if (unit?.provinceCode !== actor.provinceCode) throw invalid('body.unitCode', `Không có đơn vị ${input.unitCode} trong thành phố`);
  if (input.receivedOn > deps.today()) throw invalid('body.receivedOn', 'Ngày nhận ở tương lai');
  const stockId = await deps.db.transaction(async (tx) => {
    const [pledge] = await tx
      .select({ pledge: devicePledges })
      .from(devicePledges)
      .innerJoin(sponsors, eq(sponsors.id, devicePledges.sponsorId))
      .where(and(eq(devicePledges.id, input.pledgeId), eq(sponsors.provinceCode, actor.provinceCode)))
      .for('update', { of: devicePledges });
    if (!pledge) throw invalid('body.pledgeId', 'Không có cam kết tài trợ này');
    if (pledge.pledge.status !== 'open') throw new AppError('DEVICE_PLEDGE_CANCELLED');
    if (pledge.pledge.deliveryUnitCode && pledge.pledge.deliveryUnitCode !== input.unitCode) {
      throw invalid('body.unitCode', 'Cam kết này dành cho một đơn vị khác');
    }
    if (pledge.pledge.received + input.quantity > pledge.pledge.quantity) {
      throw new AppError('DEVICE_PLEDGE_EXCEEDED', [{ path: 'body.quantity', message: `Còn ${pledge.pledge.quantity - pledge.pledge.received} thiết bị chưa nhận của cam kết này` }]);
    }
    await tx.update(devicePledges).set({ received: sql`${devicePledges.received} + ${input.quantity}` }).where(eq(devicePledges.id, input.pledgeId));
    const [stock] = await tx
      .insert(deviceStock)
      .values({ provinceCode: actor.provinceCode, unitCode: input.unitCode, pledgeId: input.pledgeId, received: input.quantity, available: input.quantity, lastReceivedOn: input.receivedOn })
      .onConflictDoUpdate({
        target: [deviceStock.unitCode, deviceStock.pledgeId],
        set: {
          received: sql`${deviceStock.received} + ${input.quantity}`,
          available: sql`${deviceStock.available} + ${input.quantity}`,
          lastReceivedOn: sql`GREATEST(${deviceStock.lastReceivedOn}, ${input.receivedOn}::date)`,
        },
      })
      .returning({ id: deviceStock.id });
    if (!stock) throw new AppError('INTERNAL');
    await tx.insert(deviceDeliveries).values({
      stockId: stock.id,
      pledgeId: input.pledgeId,
      unitCode: input.unitCode,
      quantity: input.quantity,
      receivedOn: input.receivedOn,
      recordedBy: actor.userId,
    });
    await recordAudit(tx, actor, { action: 'create', recordType: 'device_delivery', recordIds: [stock.id], unitCodes: [input.unitCode], detail: { pledgeId: input.pledgeId, quantity: input.quantity } });
    return stock.id;
  });
  const [row] = await stockQuery(deps.db).where(eq(deviceStock.id, stockId));
  if (!row) throw new AppError('INTERNAL');
  return presentStock(row);
}
