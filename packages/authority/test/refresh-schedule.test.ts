/** The refresh schedule: owners filed by the minute they come due, taken when due, each once. */
import { describe, expect, it } from 'vitest';
import { RefreshSchedule } from '../src/index.js';
import { NOW } from './fixtures.js';

describe('RefreshSchedule', () => {
  it('gives back the owners due by a time, each once, and keeps the rest', () => {
    const schedule = new RefreshSchedule();
    schedule.set('a.', NOW + 30);
    schedule.set('b.', NOW + 59);
    schedule.set('c.', NOW + 60);
    schedule.set('d.', NOW + 3600);
    expect(schedule.size).toBe(4);
    expect(schedule.takeDue(NOW - 1)).toEqual([]);
    // Whole minutes: NOW is a minute boundary, so NOW + 59 closes the first one.
    expect(schedule.takeDue(NOW + 59).sort()).toEqual(['a.', 'b.']);
    expect(schedule.takeDue(NOW + 59)).toEqual([]);
    expect(schedule.takeDue(NOW + 3599)).toEqual(['c.']);
    expect(schedule.size).toBe(1);
    expect(schedule.takeDue(NOW + 10 * 3600)).toEqual(['d.']);
    expect(schedule.size).toBe(0);
  });

  it('files an owner once: a new due time replaces the old one; delete forgets it', () => {
    const schedule = new RefreshSchedule();
    schedule.set('a.', NOW);
    schedule.set('a.', NOW + 7200);
    schedule.set('b.', NOW);
    schedule.delete('b.');
    schedule.delete('never-filed.');
    expect(schedule.size).toBe(1);
    expect(schedule.takeDue(NOW + 3600)).toEqual([]);
    expect(schedule.takeDue(NOW + 7200)).toEqual(['a.']);
  });

  it('clear() forgets everything', () => {
    const schedule = new RefreshSchedule();
    schedule.set('a.', NOW);
    schedule.clear();
    expect([schedule.size, schedule.takeDue(NOW + 60)]).toEqual([0, []]);
  });
});
