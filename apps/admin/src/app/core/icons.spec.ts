import { TestBed } from '@angular/core/testing';
import { MatIconRegistry } from '@angular/material/icon';
import { firstValueFrom } from 'rxjs';
import { CONSOLE_ICONS, provideConsoleIcons } from './icons';

const PROMISED = `add edit delete refresh search close copy key visibility block check play_arrow download filter
  warning error info more_vert science history dashboard list bar_chart hub route sell group groups shield
  notifications settings policy person logout translate dark_mode light_mode menu`.split(/\s+/);

describe('console icons', () => {
  it('has exactly the names the areas were promised, each registered as inline SVG', async () => {
    expect(Object.keys(CONSOLE_ICONS).sort()).toEqual([...PROMISED].sort());
    TestBed.configureTestingModule({ providers: [provideConsoleIcons()] });
    const registry = TestBed.inject(MatIconRegistry);
    for (const name of PROMISED) {
      const svg = await firstValueFrom(registry.getNamedSvgIcon(name));
      expect(svg.querySelector('path')?.getAttribute('d')).toBe(CONSOLE_ICONS[name as keyof typeof CONSOLE_ICONS]);
    }
  });
});
