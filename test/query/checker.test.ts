import { describe, expect, it } from 'vitest';
import { check } from '../../src/query/checker.js';
import { parse } from '../../src/query/parser.js';
import { compileFilter } from '../../src/query/index.js';
import { expectFilterError } from './helpers.js';

const typeOf = (text: string) => check(parse(text)).type;
const typeErr = (text: string, position: number) => expectFilterError(() => check(parse(text)), 'E_QUERY_TYPE', position);

describe('check: types', () => {
  it('types fields, literals, functions and operators', () => {
    expect(typeOf('status_code')).toBe('number');
    expect(typeOf('dns_questions')).toBe('list<string>');
    expect(typeOf('request.headers')).toBe('map');
    expect(typeOf('request.headers["host"]')).toBe('string');
    expect(typeOf('anomalies[0]')).toBe('string');
    expect(typeOf('now() - duration("5m")')).toBe('timestamp');
    expect(typeOf('now() - timestamp("2026-01-01T00:00:00Z")')).toBe('duration');
    expect(typeOf('duration("1s") + now()')).toBe('timestamp');
    expect(typeOf('-duration("1s")')).toBe('duration');
    expect(typeOf('path + "?" + query')).toBe('string');
    expect(typeOf('size(path) * 2 % 3')).toBe('number');
    expect(typeOf('[]')).toBe('list<empty>');
    expect(typeOf('[1, 2]')).toBe('list<number>');
    expect(typeOf('path.lowerAscii()')).toBe('string');
    expect(typeOf('url')).toBe('string');
  });

  it('accepts functions as methods and as global calls', () => {
    expect(typeOf('startsWith(path, "/api")')).toBe('bool');
    expect(typeOf('path.size() == size(path)')).toBe('bool');
    expect(typeOf('matches(path, "^/")')).toBe('bool');
    expect(typeOf('anomalies.contains("tcp.gap")')).toBe('bool');
    expect(typeOf('size(request.headers)')).toBe('number');
  });
});

describe('check: errors with positions and expected lists', () => {
  it('rejects comparing unlike types at the operator', () => {
    const a = typeErr('status_code == "x"', 12);
    expect(a.message).toBe('cannot compare status_code (number) with string using == at 12');
    expect(a.expected).toEqual(['number']);
    expect(typeErr('method > 3', 7).expected).toEqual(['string']);
    typeErr('timestamp > duration("5m")', 10);
    typeErr('http < true', 5);
    typeErr('request.headers == response.headers', 16);
  });

  it('rejects non-literal or non-string regexes at the argument', () => {
    const err = typeErr('path.matches(1)', 13);
    expect(err.expected).toEqual(['string literal']);
    typeErr('path.matches(host)', 13);
    typeErr('status_code.matches("5..")', 0);
    typeErr('duration(path) > duration("1s")', 9);
  });

  it('rejects unknown fields with suggestions', () => {
    const err = typeErr('src.pod.nmae == "x"', 0);
    expect(err.message).toBe('unknown field "src.pod.nmae" at 0');
    expect(err.expected).toContain('src.pod.name');
    expect(err.toLine()).toMatch(/did you mean src\.pod\.name/);
    expect(typeErr('statuscode > 1', 0).expected).toEqual(['status_code']);
    expect(typeErr('src.pod', 0).expected).toEqual(['src.pod.uid', 'src.pod.name', 'src.pod.namespace']);
    expect(typeErr('dst.zzzzzzzz == 1', 0).expected).toContain('dst.ip');
    expect(typeErr('x && http', 0).expected).toEqual([]);
    expect(typeErr('now', 0).hint).toMatch(/now\(/);
  });

  it('rejects unknown functions, wrong arity and wrong argument types', () => {
    expect(typeErr('path.startswith("x")', 5).expected).toContain('startsWith');
    typeErr('path.contains()', 5);
    typeErr('size(1)', 5);
    typeErr('path.startsWith(1)', 16);
    typeErr('now(1)', 0);
    typeErr('path.now()', 5);
    typeErr('anomalies.contains(1)', 19);
  });

  it('rejects bad operands of logic, arithmetic, in and index', () => {
    const and = typeErr('http && path', 8);
    expect(and.expected).toEqual(['bool']);
    expect(and.hint).toMatch(/path != ""/);
    typeErr('!path', 0);
    typeErr('-path', 0);
    expect(typeErr('path - 1', 5).expected).toEqual(['number', 'timestamp', 'duration']);
    expect(typeErr('timestamp + timestamp', 10).expected).toEqual(['duration']);
    expect(typeErr('1 in dns_questions', 2).expected).toEqual(['string']);
    expect(typeErr('"a" in path', 4).hint).toMatch(/contains/);
    typeErr('1 in request.headers', 0);
    typeErr('path["x"]', 4);
    typeErr('request.headers[1] == ""', 16);
    typeErr('anomalies["x"] == ""', 10);
    typeErr('[1, "a"]', 4);
    typeErr('[[1]]', 1);
    typeErr('[request.headers]', 1);
    typeErr('path.size.x', 0);
  });

  it('rejects null with a hint about empty values', () => {
    expect(typeErr('path == null', 8).message).toMatch(/missing fields read as/);
  });

  it('rejects filters that are not conditions', () => {
    const err = expectFilterError(() => compileFilter('path'), 'E_QUERY_TYPE', 0);
    expect(err.hint).toMatch(/path != ""/);
    expectFilterError(() => compileFilter('1 + 2'), 'E_QUERY_TYPE', 0);
  });

  it('reports bad duration and timestamp literals at the character', () => {
    const d = expectFilterError(() => check(parse('duration("5x")')), 'E_QUERY_SYNTAX', 11);
    expect(d.expected).toContain('ms');
    expectFilterError(() => check(parse('timestamp("2026-13-01T00:00:00Z")')), 'E_QUERY_SYNTAX', 11);
  });
});
