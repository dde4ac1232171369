import '@mantine/core/styles.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { WidgetPage } from './WidgetPage';

/**
 * The chat panel's own entry (`widget.html`, served at `/widget`): only the widget, without the staff app's
 * router, session or screens, so the iframe a site embeds loads a fraction of the app.
 */
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from widget.html');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={createTheme({ primaryColor: 'blue', defaultRadius: 'md' })} defaultColorScheme="light">
      {/* Attachment thumbnails are fetched through TanStack Query, as in the app. */}
      <QueryClientProvider client={new QueryClient()}>
        <WidgetPage />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
