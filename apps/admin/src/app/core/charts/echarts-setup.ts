import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { provideEchartsCore } from 'ngx-echarts';

// Only the parts of ECharts the console draws: line and bar charts on a grid, on canvas.
echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** For the routes of areas with charts (lazy: ECharts stays out of the initial bundle). */
export function provideCharts() {
  return provideEchartsCore({ echarts });
}
