import { Outlet } from 'react-router';
import { Toaster } from 'sonner';

/** Every staff page (sign-in included) gets toasts; the public shop does not load them. */
export function StaffShell() {
  return (
    <>
      <Outlet />
      <Toaster position="top-right" richColors closeButton={false} toastOptions={{ className: 'font-sans' }} />
    </>
  );
}
