import type { AllocationView, PriorityReason } from '@cds/contract';
import { deviceAllocations, devicePledges, deviceStock, households, residents, sponsors, units, users } from '@cds/db';
import { maskImei } from '@cds/domain';
import { and, eq, type SQL } from 'drizzle-orm';
import type { Db } from '@cds/db';

// What leaves the server about an allocation: the recipient's name (officials and field workers
// in the area only), the IMEI masked to its last four digits, whether a photo and signature exist
// but never the images themselves.

const columns = {
  a: deviceAllocations,
  address: households.address,
  unitName: units.name,
  pledgeId: deviceStock.pledgeId,
  model: devicePledges.model,
  network: devicePledges.network,
  sponsorName: sponsors.name,
  recipientName: residents.fullName,
  allocatedBy: users.displayName,
};

export type AllocationRow = {
  a: typeof deviceAllocations.$inferSelect;
  address: string;
  unitName: string;
  pledgeId: number;
  model: string | null;
  network: '4g' | '5g';
  sponsorName: string;
  recipientName: string | null;
  allocatedBy: string | null;
};

/** Allocations with what their views need, filtered by `where` (the caller's scope over households among it). */
export function selectAllocations(db: Pick<Db, 'select'>, where: SQL | undefined) {
  return db
    .select(columns)
    .from(deviceAllocations)
    .innerJoin(households, and(eq(households.provinceCode, deviceAllocations.provinceCode), eq(households.id, deviceAllocations.householdId)))
    .innerJoin(units, eq(units.code, deviceAllocations.unitCode))
    .innerJoin(deviceStock, eq(deviceStock.id, deviceAllocations.stockId))
    .innerJoin(devicePledges, eq(devicePledges.id, deviceStock.pledgeId))
    .innerJoin(sponsors, eq(sponsors.id, devicePledges.sponsorId))
    .leftJoin(residents, and(eq(residents.provinceCode, deviceAllocations.provinceCode), eq(residents.id, deviceAllocations.residentId)))
    .leftJoin(users, eq(users.id, deviceAllocations.allocatedBy))
    .where(where);
}

export function presentAllocation(r: AllocationRow): AllocationView {
  const a = r.a;
  return {
    id: a.id,
    householdId: a.householdId,
    address: r.address,
    unitCode: a.unitCode,
    unitName: r.unitName,
    stockId: a.stockId,
    pledgeId: r.pledgeId,
    sponsorName: r.sponsorName,
    model: r.model,
    network: r.network,
    score: a.score,
    reasons: a.reasons as PriorityReason[],
    status: a.status,
    recipient: a.residentId !== null && r.recipientName !== null ? { residentId: a.residentId, fullName: r.recipientName } : null,
    allocatedAt: a.allocatedAt.toISOString(),
    allocatedBy: r.allocatedBy,
    scheduledFor: a.scheduledFor,
    handedOverAt: a.handedOverAt?.toISOString() ?? null,
    handedOverOn: a.handedOverOn,
    imeiMasked: a.imei ? maskImei(a.imei) : null,
    confirmation: a.confirmation,
    hasPhoto: a.photo !== null,
    consentToSponsor: a.consentToSponsor,
    followUpDue: a.followUpDue,
    followUp: a.followUpAt ? { at: a.followUpAt.toISOString(), inUse: a.followUpInUse ?? false, note: a.followUpNote } : null,
    cancelledAt: a.cancelledAt?.toISOString() ?? null,
    cancelReason: a.cancelReason,
  };
}
