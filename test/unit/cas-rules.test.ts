// The CAS rules that need no server: which registrations are acceptable, which service URLs they
// match, the ticket shapes, and that answers escape what people typed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serviceEntryProblem, serviceMatches } from '../../src/sso/cas-services.ts';
import { newTicket, ticketHash, ticketKind } from '../../src/cas/tickets.ts';
import { failureBody, logoutRequestXml, successBody } from '../../src/cas/responses.ts';
import { withParam } from '../../src/cas/service.ts';
import { assertCasSchema } from '../helpers/cas-schema.ts';

describe('CAS service registrations', () => {
  it('refuses an unanchored or non-https pattern and a fragment', () => {
    const code = (entry: string, loopback = false) => serviceEntryProblem(entry, loopback)?.code;
    assert.equal(code('^https://app\\.example\\.edu/.*'), 'cas.service_not_anchored');
    assert.equal(code('https://app\\.example\\.edu/.*$'), 'cas.service_not_normal', 'a forgotten ^');
    assert.deepEqual(serviceEntryProblem('https://APP.example.edu', false), { code: 'cas.service_not_normal', written: 'https://app.example.edu/' });
    assert.equal(code('https://app.example.edu/cas/callback?x=1'), undefined);
    assert.equal(code('^http://app\\.example\\.edu/.*$'), 'cas.service_not_https');
    assert.equal(code('^http://127\\.0\\.0\\.1:3100/.*$'), 'cas.service_not_https', 'loopback http only outside production');
    assert.equal(code('^http://127\\.0\\.0\\.1:3100/.*$', true), undefined);
    assert.equal(code('https://app.example.edu/#x'), 'cas.service_fragment');
    assert.equal(code('^https://(a$'), 'cas.service_bad_pattern');
    assert.equal(code('^https://app\\.example\\.edu.*$'), 'cas.service_host_literal', 'the host ends at / or :');
    assert.equal(code('^https://app\\.example\\.edu/([\\w-]+/?)*$'), 'cas.service_nested_quantifier');
    assert.equal(code('^https://app\\.example\\.edu/(a+)+$'), 'cas.service_nested_quantifier');
    assert.equal(code('^https://a\\.edu/.*/.*/.*/.*x$'), 'cas.service_nested_quantifier', 'at most three unbounded repeats');
  });

  it('matches an exact URL character for character and a pattern from end to end', () => {
    assert.ok(serviceMatches(['https://app.example.edu/login'], 'https://app.example.edu/login'));
    assert.ok(!serviceMatches(['https://app.example.edu/login'], 'https://app.example.edu/login?x=1'));
    const portal = ['^https://app\\.example\\.edu/.*$'];
    assert.ok(serviceMatches(portal, 'https://app.example.edu/a?b=c'));
    assert.ok(!serviceMatches(portal, 'https://evil.example/?https://app.example.edu/'));
    assert.ok(!serviceMatches(portal, 'https://app.example.edu.evil.example/'));
    assert.ok(!serviceMatches(portal, `https://app.example.edu/${'a'.repeat(3000)}`), 'an overlong service is nobody');
    const two = ['^https://a\\.example\\.edu/.*|https://b\\.example\\.edu/.*$'];
    assert.ok(serviceMatches(two, 'https://b.example.edu/x'));
    assert.ok(!serviceMatches(two, 'https://evil.example/x?https://b.example.edu/'), 'a pattern is matched whole, alternation and all');
    assert.ok(!serviceMatches(portal, 'https://app.example.edu/中'), 'only URLs written as browsers send them');
    assert.ok(!serviceMatches(portal, 'https://APP.example.edu/a'));
  });
});

describe('CAS tickets and answers', () => {
  it('makes 128-bit tickets with their prefixes and keeps only their hash', () => {
    const st = newTicket('ST');
    assert.match(st, /^ST-[A-Za-z0-9]{22}$/);
    assert.ok(st.length <= 32, 'every CAS client accepts 32 characters');
    assert.equal(ticketKind(st), 'ST');
    assert.equal(ticketKind(newTicket('PGTIOU')), undefined, 'an IOU is no ticket');
    assert.equal(ticketKind('ST-short'), undefined);
    assert.notEqual(newTicket('ST'), newTicket('ST'));
    assert.match(ticketHash(st), /^[0-9a-f]{64}$/);
    assert.ok(!ticketHash(st).includes(st.slice(3)));
  });

  it('escapes attribute values and descriptions, and follows the schema', async () => {
    const ok = successBody('XML', {
      user: 'sub-1',
      attributes: { authenticationDate: '2026-12-02T04:00:00.000Z', longTermAuthenticationRequestTokenUsed: false, isFromNewLogin: true, name: '<b>&林' },
      proxies: ['https://portal.example.edu/pgt'],
    });
    assert.match(ok, /<cas:name>&lt;b&gt;&amp;林<\/cas:name>/);
    await assertCasSchema(ok);
    const refused = failureBody('XML', 'INVALID_TICKET', 'Ticket <x> not recognized');
    assert.match(refused, /Ticket &lt;x&gt; not recognized/);
    await assertCasSchema(refused);
    assert.deepEqual(JSON.parse(failureBody('JSON', 'INVALID_SERVICE', 'no')), {
      serviceResponse: { authenticationFailure: { code: 'INVALID_SERVICE', description: 'no' } },
    });
  });

  it('writes the single-logout request with the service ticket as SessionIndex', () => {
    const xml = logoutRequestXml('LR-1', new Date('2026-12-02T04:00:00Z'), 'ST-abc');
    assert.match(xml, /<samlp:LogoutRequest [^>]*ID="LR-1" Version="2.0" IssueInstant="2026-12-02T04:00:00.000Z">/);
    assert.match(xml, /<samlp:SessionIndex>ST-abc<\/samlp:SessionIndex>/);
  });

  it('adds the ticket to a service URL without disturbing its query or fragment', () => {
    assert.equal(withParam('https://a.edu/x', 'ticket', 'ST-1'), 'https://a.edu/x?ticket=ST-1');
    assert.equal(withParam('https://a.edu/x?y=1#top', 'ticket', 'ST-1'), 'https://a.edu/x?y=1&ticket=ST-1#top');
  });
});
