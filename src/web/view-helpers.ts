import type { HelperOptions } from 'handlebars';

type Handlebars = typeof import('handlebars');

/**
 * Formatting only; no logic lives in templates. Every helper returns plain strings, which
 * Handlebars escapes like any other value.
 */
export function registerViewHelpers(handlebars: Handlebars): void {
  handlebars.registerHelper('date', (iso: unknown) =>
    typeof iso === 'string' && iso
      ? iso.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, ' UTC')
      : '—',
  );
  handlebars.registerHelper(
    'active',
    function (this: unknown, current: unknown, page: unknown, options: HelperOptions) {
      void options;
      return current === page ? 'active' : '';
    },
  );
}
