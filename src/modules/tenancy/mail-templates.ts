import type { User } from './accounts.ts';

const RESET = {
  fr: {
    subject: 'Réinitialisation de votre mot de passe Comptoir',
    text: (name: string, link: string) =>
      `Bonjour ${name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure) :\n${link}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\nComptoir`,
  },
  en: {
    subject: 'Reset your Comptoir password',
    text: (name: string, link: string) =>
      `Hello ${name},\n\nTo choose a new password, open this link (valid for one hour):\n${link}\n\nIf you did not ask for this, ignore this message.\n\nComptoir`,
  },
};

/** The password-reset e-mail in the user's language. */
export function resetMail(user: User, link: string) {
  const t = user.locale === 'en' ? RESET.en : RESET.fr;
  return { to: user.email!, subject: t.subject, text: t.text(user.name, link) };
}
