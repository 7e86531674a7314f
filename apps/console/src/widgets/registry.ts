import type { ComponentType } from 'react';
import type { WidgetMeta, WidgetRenderProps } from '@sreworks/lowcode';
import { widgetMetas } from './metas.js';

export interface WidgetEntry {
  meta: WidgetMeta;
  /** the component, from its own lazily loaded chunk. */
  load: () => Promise<ComponentType<WidgetRenderProps<any>>>;
}

// One dynamic import per widget: a page pulls in only the chunks of the widgets it uses, and
// heavy dependencies (ECharts, CodeMirror, diff, marked) stay out of the initial bundle.
const loaders: Record<string, WidgetEntry['load']> = {
  ActionBar: () => import('./ActionBar/ActionBar.js').then((m) => m.ActionBar),
  Alert: () => import('./Alert/Alert.js').then((m) => m.Alert),
  ApiTester: () => import('./ApiTester/ApiTester.js').then((m) => m.ApiTester),
  AreaChart: () => import('./AreaChart/AreaChart.js').then((m) => m.AreaChart),
  BarChart: () => import('./BarChart/BarChart.js').then((m) => m.BarChart),
  Button: () => import('./Button/Button.js').then((m) => m.Button),
  Card: () => import('./Card/Card.js').then((m) => m.Card),
  CodeEditor: () => import('./CodeEditor/CodeEditor.js').then((m) => m.CodeEditor),
  CodeViewer: () => import('./CodeViewer/CodeViewer.js').then((m) => m.CodeViewer),
  Collapse: () => import('./Collapse/Collapse.js').then((m) => m.Collapse),
  DashboardGrid: () => import('./DashboardGrid/DashboardGrid.js').then((m) => m.DashboardGrid),
  Descriptions: () => import('./Descriptions/Descriptions.js').then((m) => m.Descriptions),
  DiffViewer: () => import('./DiffViewer/DiffViewer.js').then((m) => m.DiffViewer),
  Divider: () => import('./Divider/Divider.js').then((m) => m.Divider),
  Empty: () => import('./Empty/Empty.js').then((m) => m.Empty),
  ErrorState: () => import('./ErrorState/ErrorState.js').then((m) => m.ErrorState),
  FileUpload: () => import('./FileUpload/FileUpload.js').then((m) => m.FileUpload),
  FilterBar: () => import('./FilterBar/FilterBar.js').then((m) => m.FilterBar),
  Flex: () => import('./Flex/Flex.js').then((m) => m.Flex),
  Form: () => import('./Form/Form.js').then((m) => m.Form),
  GaugeChart: () => import('./GaugeChart/GaugeChart.js').then((m) => m.GaugeChart),
  HeatmapChart: () => import('./HeatmapChart/HeatmapChart.js').then((m) => m.HeatmapChart),
  Iframe: () => import('./Iframe/Iframe.js').then((m) => m.Iframe),
  Image: () => import('./Image/Image.js').then((m) => m.Image),
  JsxTemplate: () => import('./JsxTemplate/JsxTemplate.js').then((m) => m.JsxTemplate),
  KeyValue: () => import('./KeyValue/KeyValue.js').then((m) => m.KeyValue),
  LineChart: () => import('./LineChart/LineChart.js').then((m) => m.LineChart),
  LogViewer: () => import('./LogViewer/LogViewer.js').then((m) => m.LogViewer),
  Markdown: () => import('./Markdown/Markdown.js').then((m) => m.Markdown),
  ModalTrigger: () => import('./ModalTrigger/ModalTrigger.js').then((m) => m.ModalTrigger),
  PieChart: () => import('./PieChart/PieChart.js').then((m) => m.PieChart),
  Progress: () => import('./Progress/Progress.js').then((m) => m.Progress),
  Result: () => import('./Result/Result.js').then((m) => m.Result),
  Row: () => import('./Row/Row.js').then((m) => m.Row),
  ScatterChart: () => import('./ScatterChart/ScatterChart.js').then((m) => m.ScatterChart),
  Sparkline: () => import('./Sparkline/Sparkline.js').then((m) => m.Sparkline),
  StatCard: () => import('./StatCard/StatCard.js').then((m) => m.StatCard),
  StatisticGroup: () => import('./StatisticGroup/StatisticGroup.js').then((m) => m.StatisticGroup),
  StatusBadge: () => import('./StatusBadge/StatusBadge.js').then((m) => m.StatusBadge),
  Steps: () => import('./Steps/Steps.js').then((m) => m.Steps),
  Table: () => import('./Table/Table.js').then((m) => m.Table),
  Tabs: () => import('./Tabs/Tabs.js').then((m) => m.Tabs),
  TagList: () => import('./TagList/TagList.js').then((m) => m.TagList),
  Text: () => import('./Text/Text.js').then((m) => m.Text),
  Timeline: () => import('./Timeline/Timeline.js').then((m) => m.Timeline),
  Tree: () => import('./Tree/Tree.js').then((m) => m.Tree),
};

function buildRegistry(): Record<string, WidgetEntry> {
  const out: Record<string, WidgetEntry> = {};
  for (const meta of widgetMetas) {
    const load = loaders[meta.type];
    if (!load) throw new Error(`widget ${meta.type} has a meta but no component loader`);
    out[meta.type] = { meta, load };
  }
  return out;
}

export const widgetRegistry: Record<string, WidgetEntry> = buildRegistry();
