import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography, theme } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth } from './auth.js';
import { usePrefs } from './prefs.js';
import { t } from './i18n.js';

/** Only same-app paths are followed after login (no open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function Login() {
  const { me, login } = useAuth();
  const { lang, setLang } = usePrefs();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { token } = theme.useToken();
  if (me) return <Navigate to={safeNext(params.get('next'))} replace />;
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await login(v.username, v.password);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (e) {
      setError(t(lang, 'login.failed', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: token.colorBgLayout }}>
      <Card style={{ width: 380 }} data-testid="sw-login">
        <Typography.Title level={3} style={{ textAlign: 'center' }}>
          {t(lang, 'login.title')}
        </Typography.Title>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="sw-login-error" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t(lang, 'login.username')} rules={[{ required: true }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t(lang, 'login.password')} rules={[{ required: true }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t(lang, 'login.submit')}
          </Button>
        </Form>
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button type="link" size="small" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {t(lang, 'shell.language')}
          </Button>
        </div>
      </Card>
    </div>
  );
}
