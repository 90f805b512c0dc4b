/**
 * When each store owner's signatures come due (DESIGN §5 "re-signed before expiry"):
 * owner names filed by the minute of their earliest refresh point, so a timer takes
 * the few owners due in the next minutes without looking at the others.
 */

/** Width of one slot (seconds): the maintenance timer runs about once a minute. */
const SLOT_SECONDS = 60;

export class RefreshSchedule {
  /** Owner → its slot. */
  private readonly slotOf = new Map<string, number>();
  /** Slot (Unix minute) → owners due in it. */
  private readonly slots = new Map<number, Set<string>>();

  get size(): number {
    return this.slotOf.size;
  }

  /** File `owner` as due at `refreshAt` (Unix seconds), replacing what was filed before. */
  set(owner: string, refreshAt: number): void {
    const slot = Math.floor(refreshAt / SLOT_SECONDS);
    const previous = this.slotOf.get(owner);
    if (previous === slot) return;
    if (previous !== undefined) this.unfile(owner, previous);
    this.slotOf.set(owner, slot);
    let owners = this.slots.get(slot);
    if (owners === undefined) {
      owners = new Set();
      this.slots.set(slot, owners);
    }
    owners.add(owner);
  }

  /** Forget `owner` (no mappings left, or no longer served here). */
  delete(owner: string): void {
    const slot = this.slotOf.get(owner);
    if (slot === undefined) return;
    this.slotOf.delete(owner);
    this.unfile(owner, slot);
  }

  /** Remove and return every owner filed in a slot that starts at or before `until`. */
  takeDue(until: number): string[] {
    const last = Math.floor(until / SLOT_SECONDS);
    const due: string[] = [];
    for (const [slot, owners] of this.slots) {
      if (slot > last) continue;
      for (const owner of owners) {
        due.push(owner);
        this.slotOf.delete(owner);
      }
      this.slots.delete(slot);
    }
    return due;
  }

  clear(): void {
    this.slotOf.clear();
    this.slots.clear();
  }

  private unfile(owner: string, slot: number): void {
    const owners = this.slots.get(slot);
    if (owners === undefined) return;
    owners.delete(owner);
    if (owners.size === 0) this.slots.delete(slot);
  }
}
