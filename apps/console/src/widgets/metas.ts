// Every widget's meta, as plain data (no React): the server loads this to validate pages and to
// serve the catalogue; the console uses it through the registry.
import type { WidgetMeta } from '@sreworks/lowcode';
import { meta as ActionBar } from './ActionBar/meta.js';
import { meta as Alert } from './Alert/meta.js';
import { meta as ApiTester } from './ApiTester/meta.js';
import { meta as AreaChart } from './AreaChart/meta.js';
import { meta as BarChart } from './BarChart/meta.js';
import { meta as Button } from './Button/meta.js';
import { meta as Card } from './Card/meta.js';
import { meta as CodeEditor } from './CodeEditor/meta.js';
import { meta as CodeViewer } from './CodeViewer/meta.js';
import { meta as Collapse } from './Collapse/meta.js';
import { meta as DashboardGrid } from './DashboardGrid/meta.js';
import { meta as Descriptions } from './Descriptions/meta.js';
import { meta as DiffViewer } from './DiffViewer/meta.js';
import { meta as Divider } from './Divider/meta.js';
import { meta as Empty } from './Empty/meta.js';
import { meta as ErrorState } from './ErrorState/meta.js';
import { meta as FileUpload } from './FileUpload/meta.js';
import { meta as FilterBar } from './FilterBar/meta.js';
import { meta as Flex } from './Flex/meta.js';
import { meta as Form } from './Form/meta.js';
import { meta as GaugeChart } from './GaugeChart/meta.js';
import { meta as HeatmapChart } from './HeatmapChart/meta.js';
import { meta as Iframe } from './Iframe/meta.js';
import { meta as Image } from './Image/meta.js';
import { meta as JsxTemplate } from './JsxTemplate/meta.js';
import { meta as KeyValue } from './KeyValue/meta.js';
import { meta as LineChart } from './LineChart/meta.js';
import { meta as LogViewer } from './LogViewer/meta.js';
import { meta as Markdown } from './Markdown/meta.js';
import { meta as ModalTrigger } from './ModalTrigger/meta.js';
import { meta as PieChart } from './PieChart/meta.js';
import { meta as Progress } from './Progress/meta.js';
import { meta as Result } from './Result/meta.js';
import { meta as Row } from './Row/meta.js';
import { meta as ScatterChart } from './ScatterChart/meta.js';
import { meta as Sparkline } from './Sparkline/meta.js';
import { meta as StatCard } from './StatCard/meta.js';
import { meta as StatisticGroup } from './StatisticGroup/meta.js';
import { meta as StatusBadge } from './StatusBadge/meta.js';
import { meta as Steps } from './Steps/meta.js';
import { meta as Table } from './Table/meta.js';
import { meta as Tabs } from './Tabs/meta.js';
import { meta as TagList } from './TagList/meta.js';
import { meta as Text } from './Text/meta.js';
import { meta as Timeline } from './Timeline/meta.js';
import { meta as Tree } from './Tree/meta.js';

export const widgetMetas: WidgetMeta[] = [
  ActionBar,
  Alert,
  ApiTester,
  AreaChart,
  BarChart,
  Button,
  Card,
  CodeEditor,
  CodeViewer,
  Collapse,
  DashboardGrid,
  Descriptions,
  DiffViewer,
  Divider,
  Empty,
  ErrorState,
  FileUpload,
  FilterBar,
  Flex,
  Form,
  GaugeChart,
  HeatmapChart,
  Iframe,
  Image,
  JsxTemplate,
  KeyValue,
  LineChart,
  LogViewer,
  Markdown,
  ModalTrigger,
  PieChart,
  Progress,
  Result,
  Row,
  ScatterChart,
  Sparkline,
  StatCard,
  StatisticGroup,
  StatusBadge,
  Steps,
  Table,
  Tabs,
  TagList,
  Text,
  Timeline,
  Tree,
];
