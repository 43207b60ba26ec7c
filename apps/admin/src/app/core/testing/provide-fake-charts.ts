import { provideEchartsCore } from 'ngx-echarts';

/** The options each fake chart was last given, for assertions. */
export const chartOptionsSet: Record<string, unknown>[] = [];

/**
 * In a component test: ngx-echarts with a fake ECharts (jsdom has no canvas), and a ResizeObserver
 * stand-in. Charts record their options in `chartOptionsSet`.
 */
export function provideFakeCharts() {
  const globals = globalThis as { ResizeObserver?: unknown };
  globals.ResizeObserver ??= class {
    observe(): void {
      // no layout in jsdom
    }
    unobserve(): void {
      // no layout in jsdom
    }
    disconnect(): void {
      // no layout in jsdom
    }
  };
  const chart = {
    setOption: (options: Record<string, unknown>) => chartOptionsSet.push(options),
    resize: () => undefined,
    dispose: () => undefined,
    isDisposed: () => false,
    on: () => undefined,
    off: () => undefined,
    showLoading: () => undefined,
    hideLoading: () => undefined,
  };
  return provideEchartsCore({ echarts: { init: () => chart } });
}
