import { describe, expect, it } from 'vitest';
import { parseFibTrieLocal, parseIfInet6, parseStat, parseStatus } from '../../src/procfs/index.js';

describe('per-process files', () => {
  it('parses stat with a comm holding spaces and parentheses', () => {
    const text = '4242 (my (weird) proc) S 1 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1000 1 18446744073709551615\n';
    expect(parseStat(text)).toEqual({ comm: 'my (weird) proc', state: 'S', ppid: 1, startTime: 987654 });
    expect(parseStat('garbage')).toBeNull();
  });

  it('parses status name, ppid, real uid and the innermost NSpid', () => {
    const text = 'Name:\tpython3\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t900\nNgid:\t0\nPid:\t900\nPPid:\t12\nUid:\t1000\t1000\t1000\t1000\nGid:\t0\t0\t0\t0\nNSpid:\t900\t1\n';
    expect(parseStatus(text)).toEqual({ name: 'python3', ppid: 12, uid: 1000, nspid: 1 });
  });

  it('leaves missing status fields null', () => {
    expect(parseStatus('Name:\tx\n')).toEqual({ name: 'x', ppid: null, uid: null, nspid: null });
  });

  it('finds local IPv4 addresses in fib_trie', () => {
    const text = [
      'Main:',
      '  +-- 0.0.0.0/0 3 0 5',
      '     |-- 0.0.0.0',
      '        /0 universe UNICAST',
      '     +-- 10.244.0.0/16 2 0 2',
      '        |-- 10.244.0.0',
      '           /16 link UNICAST',
      '        |-- 10.244.0.7',
      '           /32 host LOCAL',
      'Local:',
      '  +-- 127.0.0.0/8 2 0 2',
      '     |-- 127.0.0.1',
      '        /32 host LOCAL',
      '     |-- 10.244.0.7',
      '        /32 host LOCAL',
    ].join('\n');
    expect(parseFibTrieLocal(text).sort()).toEqual(['10.244.0.7', '127.0.0.1']);
  });

  it('reads if_inet6', () => {
    const text = '00000000000000000000000000000001 01 80 10 80       lo\nfd000244000000000000000000000007 02 40 00 80     eth0\n';
    expect(parseIfInet6(text)).toEqual(['::1', 'fd00:244::7']);
  });
});
