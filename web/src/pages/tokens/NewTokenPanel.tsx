import { Check, Copy } from 'lucide-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Card, CardBody, CardHeader } from '../../components/ui/Card.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import type { CreatedApiToken } from '../../lib/types.ts';

async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API outside secure contexts: select the text for a manual copy.
    input?.select();
    return false;
  }
}

/** The secret of a token just created, shown once with a copy button. */
export function NewTokenPanel({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <Card data-testid="new-token-panel" className="border-teal-200">
      <CardHeader title={t('tokens.created.title')} description={token.name} />
      <CardBody className="space-y-4">
        <Alert tone="info" testId="new-token-warning">
          {t('tokens.created.warning')}
        </Alert>
        <Field label={t('tokens.created.value')}>
          {(c) => (
            <div className="flex gap-2">
              <TextInput
                {...c}
                ref={inputRef}
                readOnly
                value={token.token}
                onFocus={(e) => e.target.select()}
                className="font-mono"
                data-testid="new-token-value"
              />
              <Button
                variant="secondary"
                onClick={async () => setCopied(await copyText(token.token, inputRef.current))}
                icon={copied ? <Check className="size-4" aria-hidden="true" /> : <Copy className="size-4" aria-hidden="true" />}
                data-testid="copy-token"
              >
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            </div>
          )}
        </Field>
        <div className="flex justify-end">
          <Button variant="secondary" onClick={onDone} data-testid="new-token-done">
            {t('tokens.created.done')}
          </Button>
        </div>
      </CardBody>
    </Card>
  );
}
