import {
  CaseLinkDetector,
  glpiWebRoot,
  upstreamCaseUrl,
  type UpstreamBases,
} from './case-links.js';

function bases(overrides: UpstreamBases = {}): UpstreamBases {
  return {
    glpi: 'https://glpi.example.com',
    jira: 'https://jira.example.com',
    bugzilla: 'https://bugs.example.com/bugzilla',
    ...overrides,
  };
}

describe(CaseLinkDetector.name, () => {
  const detector = new CaseLinkDetector(bases());

  it('should find a GLPI ticket form link', () => {
    expect(detector.find('see https://glpi.example.com/front/ticket.form.php?id=123 now')).toEqual([
      { source: 'glpi', key: '123' },
    ]);
  });

  it('should find a GLPI ticket id that is not the first query parameter', () => {
    expect(
      detector.find('https://glpi.example.com/front/ticket.form.php?foo=1&forcetab=x&id=77'),
    ).toEqual([{ source: 'glpi', key: '77' }]);
  });

  it('should not take another parameter ending in id for the ticket id', () => {
    expect(detector.find('https://glpi.example.com/front/ticket.form.php?itemid=5')).toEqual([]);
  });

  it('should find a JIRA browse link', () => {
    expect(detector.find('blocked by https://jira.example.com/browse/OPS_2-45.')).toEqual([
      { source: 'jira', key: 'OPS_2-45' },
    ]);
  });

  it('should not take a lower-case JIRA path segment for an issue key', () => {
    expect(detector.find('https://jira.example.com/browse/ops-45')).toEqual([]);
  });

  it('should find a Bugzilla show_bug link under a base path', () => {
    expect(
      detector.find('<a href="https://bugs.example.com/bugzilla/show_bug.cgi?id=9001">x</a>'),
    ).toEqual([{ source: 'bugzilla', key: '9001' }]);
    expect(
      detector.find('https://bugs.example.com/bugzilla/show_bug.cgi?format=multiple&id=12'),
    ).toEqual([{ source: 'bugzilla', key: '12' }]);
  });

  it('should accept http and https whichever scheme the base uses', () => {
    const httpBase = new CaseLinkDetector({ jira: 'http://jira.example.com' });
    expect(httpBase.find('https://jira.example.com/browse/A-1')).toEqual([
      { source: 'jira', key: 'A-1' },
    ]);
    expect(detector.find('http://glpi.example.com/front/ticket.form.php?id=3')).toEqual([
      { source: 'glpi', key: '3' },
    ]);
    expect(detector.find('http://bugs.example.com/bugzilla/show_bug.cgi?id=4')).toEqual([
      { source: 'bugzilla', key: '4' },
    ]);
  });

  it('should match the host in any letter case for every source', () => {
    const text = [
      'https://GLPI.example.com/front/ticket.form.php?id=1',
      'https://Jira.Example.com/browse/OPS-2',
      'https://BUGS.example.com/bugzilla/show_bug.cgi?id=3',
    ].join(' ');
    expect(detector.find(text)).toEqual([
      { source: 'glpi', key: '1' },
      { source: 'jira', key: 'OPS-2' },
      { source: 'bugzilla', key: '3' },
    ]);
    const upperCaseBase = new CaseLinkDetector({ jira: 'https://JIRA.example.com' });
    expect(upperCaseBase.find('https://jira.example.com/browse/OPS-2')).toEqual([
      { source: 'jira', key: 'OPS-2' },
    ]);
  });

  it('should ignore the same paths on other hosts', () => {
    const text = [
      'https://glpi.other.com/front/ticket.form.php?id=1',
      'https://jira.example.com.evil.com/browse/OPS-2',
      'https://notjira.example.com/browse/OPS-3',
      'https://bugs.example.com/show_bug.cgi?id=4',
    ].join(' ');
    expect(detector.find(text)).toEqual([]);
  });

  it('should ignore sources that are not configured', () => {
    const jiraOnly = new CaseLinkDetector({ jira: 'https://jira.example.com' });
    expect(
      jiraOnly.find(
        'https://glpi.example.com/front/ticket.form.php?id=1 https://bugs.example.com/bugzilla/show_bug.cgi?id=2',
      ),
    ).toEqual([]);
    expect(new CaseLinkDetector({}).find('https://jira.example.com/browse/OPS-1')).toEqual([]);
  });

  it('should ignore a trailing slash on the base', () => {
    const slashed = new CaseLinkDetector({ jira: 'https://jira.example.com/' });
    expect(slashed.find('https://jira.example.com/browse/OPS-1')).toEqual([
      { source: 'jira', key: 'OPS-1' },
    ]);
  });

  it('should find every link, repeated ones included, and return nothing for empty text', () => {
    const text =
      'https://jira.example.com/browse/A-1 https://jira.example.com/browse/B-2 https://jira.example.com/browse/A-1';
    expect(detector.find(text)).toEqual([
      { source: 'jira', key: 'A-1' },
      { source: 'jira', key: 'B-2' },
      { source: 'jira', key: 'A-1' },
    ]);
    expect(detector.find(null)).toEqual([]);
    expect(detector.find(undefined)).toEqual([]);
    expect(detector.find('')).toEqual([]);
  });

  it('should give the same answer when called again (no regex state leaks)', () => {
    const text = 'https://glpi.example.com/front/ticket.form.php?id=8';
    expect(detector.find(text)).toEqual(detector.find(text));
    expect(detector.find(text)).toHaveLength(1);
  });

  it('should collect links over several texts', () => {
    expect(
      detector.findAll([
        'https://jira.example.com/browse/A-1',
        null,
        'https://bugs.example.com/bugzilla/show_bug.cgi?id=5',
      ]),
    ).toEqual([
      { source: 'jira', key: 'A-1' },
      { source: 'bugzilla', key: '5' },
    ]);
  });
});

describe(glpiWebRoot.name, () => {
  it('should strip the apirest.php or api suffix', () => {
    expect(glpiWebRoot('https://glpi.example.com/apirest.php')).toBe('https://glpi.example.com');
    expect(glpiWebRoot('https://glpi.example.com/glpi/apirest.php/')).toBe(
      'https://glpi.example.com/glpi',
    );
    expect(glpiWebRoot('https://glpi.example.com/api')).toBe('https://glpi.example.com');
  });

  it('should leave a base without an API suffix alone except for trailing slashes', () => {
    expect(glpiWebRoot('https://glpi.example.com/glpi//')).toBe('https://glpi.example.com/glpi');
  });
});

describe(upstreamCaseUrl.name, () => {
  it('should build the web URL of a case for each configured source', () => {
    const b = bases();
    expect(upstreamCaseUrl(b, 'glpi', '12')).toBe(
      'https://glpi.example.com/front/ticket.form.php?id=12',
    );
    expect(upstreamCaseUrl(b, 'jira', 'OPS-1')).toBe('https://jira.example.com/browse/OPS-1');
    expect(upstreamCaseUrl(b, 'bugzilla', '77')).toBe(
      'https://bugs.example.com/bugzilla/show_bug.cgi?id=77',
    );
  });

  it('should return null for a source that is not configured', () => {
    expect(upstreamCaseUrl({ jira: 'https://jira.example.com' }, 'glpi', '12')).toBeNull();
    expect(upstreamCaseUrl({}, 'bugzilla', '1')).toBeNull();
  });

  it('should give URLs the detector recognises', () => {
    const b = bases();
    const detector = new CaseLinkDetector(b);
    const urls = [
      upstreamCaseUrl(b, 'glpi', '12'),
      upstreamCaseUrl(b, 'jira', 'OPS-1'),
      upstreamCaseUrl(b, 'bugzilla', '77'),
    ];
    expect(detector.findAll(urls)).toEqual([
      { source: 'glpi', key: '12' },
      { source: 'jira', key: 'OPS-1' },
      { source: 'bugzilla', key: '77' },
    ]);
  });
});
