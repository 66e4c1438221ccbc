import { describe, expect, it } from 'vitest';
import { parse } from '../../src/query/parser.js';
import { expectFilterError, show } from './helpers.js';

const p = (text: string) => show(parse(text));

describe('parse: precedence and associativity', () => {
  it('binds || looser than && looser than relations', () => {
    expect(p('a || b && c == 1')).toBe('(|| a (&& b (== c 1)))');
    expect(p('a && b || c && d')).toBe('(|| (&& a b) (&& c d))');
  });

  it('keeps && and || chains flat', () => {
    expect(p('a && b && c && d')).toBe('(&& a b c d)');
    expect(p('(a && b) && c')).toBe('(&& (&& a b) c)');
  });

  it('binds arithmetic tighter than relations, * tighter than +, left-associative', () => {
    expect(p('a + b * c > d - e - f')).toBe('(> (+ a (* b c)) (- (- d e) f))');
    expect(p('a / b % c')).toBe('(% (/ a b) c)');
    expect(p('timestamp > now() - duration("5m")')).toBe('(> timestamp (- now() duration("5m")))');
  });

  it('applies unary operators to postfix expressions', () => {
    expect(p('!a.b.startsWith("x")')).toBe('(! a.b.startsWith("x"))');
    expect(p('-a - -b')).toBe('(- (- a) (- b))');
    expect(p('!!a')).toBe('(! (! a))');
    expect(p('!(x in ["a", "b"])')).toBe('(! (in x ["a" "b"]))');
  });

  it('parses members, calls, indexes and lists', () => {
    expect(p('request.headers["content-type"].contains("json")')).toBe('request.headers["content-type"].contains("json")');
    expect(p('size(dns_questions) >= 2')).toBe('(>= size(dns_questions) 2)');
    expect(p('[1, 2, 3,]')).toBe('[1 2 3]');
    expect(p('[]')).toBe('[]');
    expect(p('x in []')).toBe('(in x [])');
  });

  it('parses literals', () => {
    expect(p(`'single' == "double"`)).toBe('(== "single" "double")');
    expect(p('true != false')).toBe('(!= true false)');
    expect(p('1.25 < 2e3')).toBe('(< 1.25 2000)');
  });

  it('records positions of nodes and operators', () => {
    const n = parse('http && status_code >= 500');
    expect(n).toMatchObject({ kind: 'logical', pos: 0 });
    const cmp = (n as unknown as { operands: unknown[] }).operands[1];
    expect(cmp).toMatchObject({ kind: 'binary', pos: 8, opPos: 20 });
  });
});

describe('parse: syntax errors', () => {
  it('says what was expected and what was found', () => {
    const err = expectFilterError(() => parse('(method == "GET"'), 'E_QUERY_SYNTAX', 16);
    expect(err.message).toBe('expected ")" at 16, found end of input');
    expect(err.expected).toEqual([')']);
  });

  it('reports a missing operand with the operand categories', () => {
    const err = expectFilterError(() => parse('status_code >= '), 'E_QUERY_SYNTAX', 15);
    expect(err.expected).toEqual(['field', 'literal', '(', '[', '!', '-']);
    expect(err.message).toBe('expected field, literal, "(", "[", "!" or "-" at 15, found end of input');
  });

  it('reports trailing tokens, bad members and unbalanced parentheses', () => {
    expect(expectFilterError(() => parse('a b'), 'E_QUERY_SYNTAX', 2).hint).toMatch(/&&/);
    expect(expectFilterError(() => parse('a)'), 'E_QUERY_SYNTAX', 1).hint).toMatch(/no matching/);
    expectFilterError(() => parse('a.'), 'E_QUERY_SYNTAX', 2);
    expectFilterError(() => parse('a.1'), 'E_QUERY_SYNTAX', 1);
    expectFilterError(() => parse('[1 2]'), 'E_QUERY_SYNTAX', 3);
    expectFilterError(() => parse('f(1,'), 'E_QUERY_SYNTAX', 4);
    expectFilterError(() => parse('in'), 'E_QUERY_SYNTAX', 0);
    expectFilterError(() => parse('a && && b'), 'E_QUERY_SYNTAX', 5);
  });
});
