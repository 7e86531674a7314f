// The icons app manifests and menus may name (a fixed set keeps the bundle small).
import type { ComponentType } from 'react';
import {
  AlertOutlined, ApiOutlined, AppstoreOutlined, AuditOutlined, ClusterOutlined, CloudServerOutlined, DashboardOutlined, DatabaseOutlined, DeploymentUnitOutlined, DesktopOutlined,
  EnvironmentOutlined, ExperimentOutlined, FileSearchOutlined, KeyOutlined, LineChartOutlined, MedicineBoxOutlined, QuestionCircleOutlined, RobotOutlined, SafetyOutlined, SearchOutlined,
  SettingOutlined, TeamOutlined, ToolOutlined, UserOutlined,
} from '@ant-design/icons';

export const ICONS: Record<string, ComponentType<{ style?: React.CSSProperties }>> = {
  AlertOutlined, ApiOutlined, AppstoreOutlined, AuditOutlined, ClusterOutlined, CloudServerOutlined, DashboardOutlined, DatabaseOutlined, DeploymentUnitOutlined, DesktopOutlined,
  EnvironmentOutlined, ExperimentOutlined, FileSearchOutlined, KeyOutlined, LineChartOutlined, MedicineBoxOutlined, QuestionCircleOutlined, RobotOutlined, SafetyOutlined, SearchOutlined,
  SettingOutlined, TeamOutlined, ToolOutlined, UserOutlined,
};

export function Icon({ name, style }: { name?: string; style?: React.CSSProperties }) {
  const C = (name && ICONS[name]) || AppstoreOutlined;
  return <C style={style} />;
}
