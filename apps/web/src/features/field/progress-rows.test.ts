import { describe, expect, it } from 'vitest';
import type { ProgressRow } from '@cds/contract';
import { barWidth, coverage, leaderboard, lowestCoverage, sortProgress } from './progress-rows';

function row(label: string, visited: number, assigned: number, visits = visited): ProgressRow {
  return {
    key: label,
    label,
    householdsAssigned: assigned,
    householdsVisited: visited,
    visits,
    peopleHelped: 0,
    actionsDone: 0,
    peopleFound: 0,
    membersAllElementsMet: 0,
  };
}

describe('progress figures', () => {
  it('gives no share when nothing was given, and keeps shares over 100 while bars stop at the end', () => {
    expect(coverage(0, 0)).toBeNull();
    expect(coverage(1, 3)).toBeCloseTo(33.333, 3);
    expect(coverage(1999, 2000)).toBeLessThan(100);
    expect(coverage(12, 10)).toBe(120);
    expect(barWidth(120)).toBe(100);
    expect(barWidth(null)).toBe(0);
    expect(barWidth(-5)).toBe(0);
  });

  it('ranks the leaderboard by households visited, then visits, equal figures sharing a place, zeros left out', () => {
    const board = leaderboard([row('An', 5, 10, 6), row('Bình', 9, 10), row('Chi', 5, 10, 9), row('Dũng', 0, 10), row('Em', 5, 10, 6)], 10);
    expect(board.map((r) => [r.label, r.place])).toEqual([
      ['Bình', 1],
      ['Chi', 2],
      ['An', 2],
      ['Em', 2],
    ]);
  });

  it('keeps a shared place whole at the cut instead of splitting a tie', () => {
    const board = leaderboard([row('A', 9, 9), row('B', 5, 9), row('C', 5, 9), row('D', 1, 9)], 2);
    expect(board.map((r) => r.label)).toEqual(['A', 'B', 'C']);
  });

  it('sorts by share with rows that were given nothing last both ways, and names as people number them', () => {
    const rows = [row('Tổ 10', 5, 10), row('Tổ 2', 0, 0), row('Tổ 3', 9, 10)];
    expect(sortProgress(rows, 'coverage', 'desc').map((r) => r.label)).toEqual(['Tổ 3', 'Tổ 10', 'Tổ 2']);
    expect(sortProgress(rows, 'coverage', 'asc').map((r) => r.label)).toEqual(['Tổ 10', 'Tổ 3', 'Tổ 2']);
    expect(sortProgress(rows, 'label', 'asc').map((r) => r.label)).toEqual(['Tổ 2', 'Tổ 3', 'Tổ 10']);
    expect(sortProgress(rows, 'householdsVisited', 'desc').map((r) => r.label)).toEqual(['Tổ 3', 'Tổ 10', 'Tổ 2']);
  });

  it('lists the neighbourhoods furthest behind first', () => {
    const low = lowestCoverage([row('KP 1', 9, 10), row('KP 2', 1, 10), row('KP 3', 0, 0), row('KP 4', 5, 10)], 2);
    expect(low.map((r) => [r.label, r.percent])).toEqual([
      ['KP 2', 10],
      ['KP 4', 50],
    ]);
  });
});
