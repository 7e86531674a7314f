import { useContext } from 'react';
import { ConfigProvider } from 'antd';

// Widget chrome strings; the shell switches antd's locale, we follow it.
const zh: Record<string, string> = {
  Search: '搜索',
  Follow: '跟随',
  Wrap: '换行',
  Clear: '清空',
  Submit: '提交',
  Reset: '重置',
  Query: '查询',
  Send: '发送',
  Actions: '操作',
  Copy: '复制',
  Copied: '已复制',
  'Only matches': '仅显示匹配',
  'No data': '暂无数据',
  'Load more': '加载更多',
  Previous: '上一页',
  Next: '下一页',
  'Invalid JSON': 'JSON 格式错误',
  'Invalid YAML': 'YAML 格式错误',
  'is required': '为必填项',
  'does not match the pattern': '格式不正确',
  'must be at least': '不能小于',
  'must be at most': '不能大于',
  'characters': '个字符',
  Unchanged: '未变化',
  Unified: '合并视图',
  Split: '分栏视图',
  lines: '行',
  Status: '状态',
  Body: '请求体',
  Response: '响应',
  Headers: '请求头',
  Open: '打开',
  'Are you sure?': '确定吗？',
  'Something went wrong': '出错了',
  Retry: '重试',
  Total: '共计',
  'Unknown element': '未知元素',
  'Drop a file here or click to choose one': '拖放文件到此处，或点击选择',
};

export type Translate = (s: string) => string;

export function useT(): Translate {
  const { locale } = useContext(ConfigProvider.ConfigContext);
  const isZh = (locale?.locale ?? '').toLowerCase().startsWith('zh');
  return isZh ? (s) => zh[s] ?? s : (s) => s;
}
