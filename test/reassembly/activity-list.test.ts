import { describe, expect, it } from 'vitest';
import { ActivityList } from '../../src/reassembly/activity-list.js';
import { Connection } from '../../src/reassembly/connection.js';
import { ConnectionTable } from '../../src/reassembly/connection-table.js';

const handler = { onData: () => {}, onGap: () => {}, onEnd: () => {} };

function conn(id: string, aIp: string, aPort: number, bIp: string, bPort: number): Connection {
  const info = { id, transport: 'tcp' as const, a: { ip: aIp, port: aPort }, b: { ip: bIp, port: bPort }, initiatorKnown: true };
  const aLower = aIp === bIp ? aPort <= bPort : aIp < bIp;
  const [lo, hi] = aLower ? [info.a, info.b] : [info.b, info.a];
  return new Connection(info, handler, aIp, aPort, lo.ip, hi.ip, lo.port * 65536 + hi.port);
}

const order = (l: ActivityList): string[] => {
  const out: string[] = [];
  for (let c = l.head; c !== null; c = c.next) out.push(c.info.id);
  return out;
};

describe('ActivityList', () => {
  it('orders connections by last touch and removes in O(1)', () => {
    const l = new ActivityList();
    const [x, y, z] = [conn('x', '1.1.1.1', 1, '2.2.2.2', 2), conn('y', '1.1.1.1', 2, '2.2.2.2', 2), conn('z', '1.1.1.1', 3, '2.2.2.2', 2)];
    l.touch(x);
    l.touch(y);
    l.touch(z);
    l.touch(x);
    expect(order(l)).toEqual(['y', 'z', 'x']);
    l.remove(z);
    l.remove(z);
    expect(order(l)).toEqual(['y', 'x']);
    expect(l.tail).toBe(x);
    l.remove(y);
    l.remove(x);
    expect([l.head, l.tail]).toEqual([null, null]);
  });
});

describe('ConnectionTable', () => {
  it('finds a connection from both directions and forgets it', () => {
    const t = new ConnectionTable();
    const c = conn('c', 'fd00::2', 80, 'fd00::1', 40000);
    const same = conn('s', '10.0.0.1', 7, '10.0.0.1', 9);
    t.add(c);
    t.add(same);
    expect(t.get('fd00::2', 80, 'fd00::1', 40000)).toBe(c);
    expect(t.get('fd00::1', 40000, 'fd00::2', 80)).toBe(c);
    expect(t.get('fd00::1', 40001, 'fd00::2', 80)).toBeUndefined();
    expect(t.get('10.0.0.1', 9, '10.0.0.1', 7)).toBe(same);
    t.delete(c);
    expect(t.get('fd00::2', 80, 'fd00::1', 40000)).toBeUndefined();
    expect(t.get('10.0.0.1', 7, '10.0.0.1', 9)).toBe(same);
  });
});
