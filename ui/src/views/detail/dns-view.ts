/** DNS query and response: header fields, then questions, answers, authorities and additionals tables. */
import { h } from '../../lib/dom.js';
import type { DnsEntry, DnsMessageDetail, DnsRecord } from '../../types.js';
import { gridTable, kvTable, note, section } from './kv.js';

function records(title: string, list: readonly DnsRecord[], testId: string): HTMLElement | null {
  if (!list.length) return null;
  return h(
    'div',
    {},
    h('h4', {}, title),
    gridTable(['Name', 'Type', 'Class', 'TTL', 'Data'], list.map((r) => [r.name, r.type, r.class, String(r.ttl), h('code', {}, r.data)]), testId),
  );
}

function message(m: DnsMessageDetail, side: string): HTMLElement[] {
  return [
    kvTable([
      ['Id', String(m.id)],
      ['Opcode', m.opcode],
      ['Rcode', h('span', { class: m.rcode === 'NOERROR' ? 'status dns-ok' : 'status dns-err' }, m.rcode)],
      ['Flags', m.flags.join(' ') || '—'],
    ]),
    h('h4', {}, 'Questions'),
    gridTable(['Name', 'Type', 'Class'], m.questions.map((q) => [q.name, q.type, q.class]), `dns-${side}-questions`),
    ...[records('Answers', m.answers, `dns-${side}-answers`), records('Authorities', m.authorities, `dns-${side}-authorities`), records('Additionals', m.additionals, `dns-${side}-additionals`)].filter(
      (x): x is HTMLElement => x !== null,
    ),
  ];
}

export function dnsSections(e: DnsEntry): HTMLElement[] {
  return [
    e.request ? section('Query', 'detail-request', ...message(e.request, 'query')) : section('Query', 'detail-request', note('The query was not captured.')),
    e.response ? section('Response', 'detail-response', ...message(e.response, 'response')) : section('Response', 'detail-response', note('No response was captured.', 'note warn')),
  ];
}
