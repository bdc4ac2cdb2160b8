/** A set of string keys with O(1) add, remove and access by position (swap-remove), for uniform random picks. */
export class RandomSet {
  private readonly items: string[] = [];
  private readonly positions = new Map<string, number>();

  get size(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.positions.has(key);
  }

  add(key: string): void {
    if (this.positions.has(key)) return;
    this.positions.set(key, this.items.length);
    this.items.push(key);
  }

  delete(key: string): boolean {
    const position = this.positions.get(key);
    if (position === undefined) return false;
    const last = this.items.pop()!;
    if (last !== key) {
      this.items[position] = last;
      this.positions.set(last, position);
    }
    this.positions.delete(key);
    return true;
  }

  /** The key at `position` (0 ≤ position < size). */
  at(position: number): string | undefined {
    return this.items[position];
  }

  keys(): readonly string[] {
    return this.items;
  }
}
