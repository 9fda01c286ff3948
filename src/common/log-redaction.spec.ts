import { REDACTED, redactUrl } from './log-redaction.js';

describe(redactUrl.name, () => {
  it('should leave a URL without a query alone', () => {
    expect(redactUrl('/cases/jira/SUP-1')).toBe('/cases/jira/SUP-1');
  });

  it('should replace SAML payloads, signatures and keys but keep the other parameters', () => {
    expect(
      redactUrl('/logout/callback?SAMLResponse=PHNhbWw%2B&RelayState=x&SigAlg=rsa&Signature=abc'),
    ).toBe(
      `/logout/callback?SAMLResponse=${REDACTED}&RelayState=${REDACTED}&SigAlg=${REDACTED}&Signature=${REDACTED}`,
    );
    expect(redactUrl('/rest/bug?api_key=s3cret&limit=5&token=t')).toBe(
      `/rest/bug?api_key=${REDACTED}&limit=5&token=${REDACTED}`,
    );
    expect(redactUrl('/cases?q=password&status=open')).toBe('/cases?q=password&status=open');
  });
});
