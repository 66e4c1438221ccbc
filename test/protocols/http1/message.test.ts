import { describe, expect, it } from 'vitest';
import { targetForm } from '../../../src/protocols/http1/message.js';

describe('HTTP/1 request targets', () => {
  it('splits each target form into path and authority', () => {
    expect(targetForm('GET', '/a/b?c=d#f')).toEqual({ path: '/a/b', authority: null });
    expect(targetForm('GET', 'http://h.example:8080/p?q')).toEqual({ path: '/p', authority: 'h.example:8080' });
    expect(targetForm('GET', 'https://h.example')).toEqual({ path: '/', authority: 'h.example' });
    expect(targetForm('GET', 'http://h.example?x')).toEqual({ path: '/', authority: 'h.example' });
    expect(targetForm('CONNECT', 'db:5432')).toEqual({ path: 'db:5432', authority: 'db:5432' });
    expect(targetForm('OPTIONS', '*')).toEqual({ path: '*', authority: null });
  });
});
