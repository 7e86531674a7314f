import type { ReactNode } from 'react';
import {
  CloudUploadOutlined,
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  EyeOutlined,
  PlayCircleOutlined,
  PlusOutlined,
  ReloadOutlined,
  RollbackOutlined,
  SearchOutlined,
  SettingOutlined,
  StopOutlined,
} from '@ant-design/icons';

// A small named set: importing all of @ant-design/icons would put every icon in the bundle.
export const iconNames = ['plus', 'edit', 'delete', 'reload', 'search', 'download', 'upload', 'play', 'stop', 'rollback', 'settings', 'view'] as const;
export type IconName = (typeof iconNames)[number];

const ICONS: Record<IconName, ReactNode> = {
  plus: <PlusOutlined />,
  edit: <EditOutlined />,
  delete: <DeleteOutlined />,
  reload: <ReloadOutlined />,
  search: <SearchOutlined />,
  download: <DownloadOutlined />,
  upload: <CloudUploadOutlined />,
  play: <PlayCircleOutlined />,
  stop: <StopOutlined />,
  rollback: <RollbackOutlined />,
  settings: <SettingOutlined />,
  view: <EyeOutlined />,
};

export function icon(name: string | undefined): ReactNode {
  return name ? (ICONS[name as IconName] ?? null) : null;
}
