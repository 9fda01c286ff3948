import { SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RememberedMetadata } from './remembered-metadata.js';

@SetMetadata('limit', 100)
@SetMetadata('name', 'class')
class Routes {
  @SetMetadata('limit', 5)
  strict() {}

  @SetMetadata('skip', false)
  open() {}
}

class Other {
  strict() {}
}

describe('RememberedMetadata', () => {
  const stock = new Reflector();
  const handlers = [Routes.prototype.strict, Routes.prototype.open, Other.prototype.strict];

  it('should answer as the stock Reflector does: the handler first, then the class', () => {
    const remembered = new RememberedMetadata();
    for (let round = 0; round < 2; round++) {
      for (const handler of handlers) {
        for (const key of ['limit', 'name', 'skip', 'absent']) {
          for (const cls of [Routes, Other]) {
            expect(remembered.getAllAndOverride(key, [handler, cls])).toBe(
              stock.getAllAndOverride(key, [handler, cls]),
            );
          }
        }
      }
    }
    expect(remembered.getAllAndOverride('limit', [Routes.prototype.strict, Routes])).toBe(5);
    expect(remembered.getAllAndOverride('limit', [Routes.prototype.open, Routes])).toBe(100);
    expect(remembered.getAllAndOverride('skip', [Routes.prototype.open, Routes])).toBe(false);
  });

  it('should read each entry once, absent ones included', () => {
    const remembered = new RememberedMetadata();
    const reads = jest.spyOn(Reflector.prototype, 'get');
    try {
      for (let i = 0; i < 3; i++) {
        remembered.getAllAndOverride('limit', [Routes.prototype.strict, Routes]);
        remembered.getAllAndOverride('absent', [Routes.prototype.strict, Routes]);
      }
      // 'limit' is found on the handler (one read); 'absent' is looked for on both targets.
      expect(reads).toHaveBeenCalledTimes(3);
    } finally {
      reads.mockRestore();
    }
  });

  it('should not remember lookups over other numbers of targets', () => {
    const remembered = new RememberedMetadata();
    expect(remembered.getAllAndOverride('name', [Routes])).toBe('class');
    expect(remembered.getAllAndOverride('limit', [Other, Routes.prototype.open, Routes])).toBe(100);
  });
});
