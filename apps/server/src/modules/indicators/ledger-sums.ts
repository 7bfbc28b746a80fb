import { forEachLedgerChange, type Contribution } from '@cds/domain';

/**
 * Ledger deltas summed in memory for a rebuild from scratch, grouped by unit so that a unit's
 * rows can be written out, final, once its households are done.
 *
 * A row's (area, key, day) is packed into one number rather than a string: a rebuild adds about
 * 200 changes per resident, and building a string key for each, then hashing it into a map of a
 * million strings, was most of the rebuild's CPU time and nearly all of its garbage collection.
 * Areas and keys are numbered as they first appear; days are counted from 1970-01-01.
 */
const KEY_SLOTS = 1024;
const DAY_SLOTS = 1 << 17; // to the year 2328; the ledger's days start at HISTORY_START
const AREA_SLOTS = Math.floor(Number.MAX_SAFE_INTEGER / (KEY_SLOTS * DAY_SLOTS));

export interface LedgerRow {
  unitCode: string;
  neighbourhoodId: number;
  key: string;
  day: string;
  delta: number;
}

type Sums = Map<number, number>;

export class LedgerSums {
  private readonly areas: { unitCode: string; neighbourhoodId: number }[] = [];
  private readonly areaIds = new Map<string, Map<number, number>>();
  private readonly keys: string[] = [];
  private readonly keyIds = new Map<string, number>();
  private readonly days: string[] = [];
  private readonly dayIds = new Map<string, number>();
  /** Open sums per unit code (the city's code included). */
  private readonly groups = new Map<string, Sums>();
  /** Units already written out: what still arrives for them (a member whose unit differs from the household's) waits here. */
  private readonly closed = new Set<string>();
  private readonly late: Sums = new Map();
  private readonly visit = (area: string, neighbourhood: number, key: string, day: string, delta: number) => {
    let sums = this.closed.has(area) ? this.late : this.groups.get(area);
    if (!sums) this.groups.set(area, (sums = new Map()));
    const id = (this.areaId(area, neighbourhood) * KEY_SLOTS + this.keyId(key)) * DAY_SLOTS + this.dayId(day);
    const next = (sums.get(id) ?? 0) + delta;
    if (next === 0) sums.delete(id);
    else sums.set(id, next);
  };

  add(contributions: readonly Contribution[], cityCode: string): void {
    forEachLedgerChange(contributions, cityCode, 1, this.visit);
  }

  /** Distinct rows held for one unit, to bound memory. */
  sizeOf(unitCode: string): number {
    return this.groups.get(unitCode)?.size ?? 0;
  }

  /** Takes the unit's rows out; later changes to the unit go to takeLate(). */
  close(unitCode: string): LedgerRow[] {
    const sums = this.groups.get(unitCode);
    this.groups.delete(unitCode);
    this.closed.add(unitCode);
    return sums ? this.rows(sums) : [];
  }

  /** Every unit still open (the city's rows among them), a list per unit. */
  closeAll(): LedgerRow[][] {
    return [...this.groups.keys()].map((unitCode) => this.close(unitCode));
  }

  /** Changes to units already written out; each is one row per (area, key, day), to be added to what was written. */
  takeLate(): LedgerRow[] {
    const rows = this.rows(this.late);
    this.late.clear();
    return rows;
  }

  lateSize(): number {
    return this.late.size;
  }

  private rows(sums: Sums): LedgerRow[] {
    const out: LedgerRow[] = [];
    for (const [id, delta] of sums) {
      const day = id % DAY_SLOTS;
      const rest = (id - day) / DAY_SLOTS;
      const key = rest % KEY_SLOTS;
      const area = this.areas[(rest - key) / KEY_SLOTS]!;
      out.push({ unitCode: area.unitCode, neighbourhoodId: area.neighbourhoodId, key: this.keys[key]!, day: this.days[day]!, delta });
    }
    return out;
  }

  private areaId(unitCode: string, neighbourhoodId: number): number {
    let byNeighbourhood = this.areaIds.get(unitCode);
    if (!byNeighbourhood) this.areaIds.set(unitCode, (byNeighbourhood = new Map()));
    let id = byNeighbourhood.get(neighbourhoodId);
    if (id === undefined) {
      id = this.areas.length;
      if (id >= AREA_SLOTS) throw new Error('LedgerSums: too many areas');
      this.areas.push({ unitCode, neighbourhoodId });
      byNeighbourhood.set(neighbourhoodId, id);
    }
    return id;
  }

  private keyId(key: string): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.keys.length;
      if (id >= KEY_SLOTS) throw new Error('LedgerSums: too many ledger keys');
      this.keys.push(key);
      this.keyIds.set(key, id);
    }
    return id;
  }

  private dayId(day: string): number {
    let id = this.dayIds.get(day);
    if (id === undefined) {
      id = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;
      if (!(id >= 0 && id < DAY_SLOTS)) throw new Error(`LedgerSums: day out of range: ${day}`);
      this.days[id] = day;
      this.dayIds.set(day, id);
    }
    return id;
  }
}
