/**
 * DNS mnemonics: record types (`TYPE<n>` when unknown, RFC 3597), classes (`CLASS<n>`), opcodes and
 * response codes (including EDNS extended codes), as presentation text uses them.
 */

const TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 10: 'NULL', 12: 'PTR', 13: 'HINFO', 15: 'MX', 16: 'TXT', 17: 'RP',
  18: 'AFSDB', 24: 'SIG', 25: 'KEY', 28: 'AAAA', 29: 'LOC', 33: 'SRV', 35: 'NAPTR', 36: 'KX', 37: 'CERT',
  39: 'DNAME', 41: 'OPT', 42: 'APL', 43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY', 46: 'RRSIG', 47: 'NSEC',
  48: 'DNSKEY', 49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA', 55: 'HIP', 59: 'CDS',
  60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF',
  249: 'TKEY', 250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 255: 'ANY', 256: 'URI', 257: 'CAA', 32769: 'DLV',
};

const CLASSES: Record<number, string> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };

const OPCODES: Record<number, string> = { 0: 'QUERY', 1: 'IQUERY', 2: 'STATUS', 4: 'NOTIFY', 5: 'UPDATE', 6: 'DSO' };

const RCODES: Record<number, string> = {
  0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN',
  7: 'YXRRSET', 8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE', 11: 'DSOTYPENI', 16: 'BADVERS', 17: 'BADKEY',
  18: 'BADTIME', 19: 'BADMODE', 20: 'BADNAME', 21: 'BADALG', 22: 'BADTRUNC', 23: 'BADCOOKIE',
};

export function typeName(n: number): string {
  return TYPES[n] ?? `TYPE${n}`;
}

/** Class mnemonic; the mDNS top bit (unicast-response / cache-flush) is ignored for known classes. */
export function className(n: number): string {
  return CLASSES[n] ?? CLASSES[n & 0x7fff] ?? `CLASS${n}`;
}

export function opcodeName(n: number): string {
  return OPCODES[n] ?? `OPCODE${n}`;
}

export function rcodeName(n: number): string {
  return RCODES[n] ?? `RCODE${n}`;
}

/** Whether a class number is one DNS traffic uses (for detection). */
export function isKnownClass(n: number): boolean {
  return CLASSES[n & 0x7fff] !== undefined;
}

/** EDNS option code names (RFC 6891 registry, common ones). */
const OPTIONS: Record<number, string> = {
  3: 'NSID', 5: 'DAU', 6: 'DHU', 7: 'N3U', 8: 'ECS', 9: 'EXPIRE', 10: 'COOKIE', 11: 'KEEPALIVE', 12: 'PADDING',
  13: 'CHAIN', 14: 'KEY-TAG', 15: 'EDE', 18: 'REPORT-CHANNEL',
};

export function optionName(n: number): string {
  return OPTIONS[n] ?? `OPTION${n}`;
}
