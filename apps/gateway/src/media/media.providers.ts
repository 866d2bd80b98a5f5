import type { Provider } from '@nestjs/common';
import { MediaErrorFilter } from './media-error.filter.js';
import { mediaServiceClientProvider } from './media-service.client.js';
import { MultipartRegistration } from './multipart-upload.js';

/** What the media routes need besides the gateway's shared providers (SessionAuth, RateLimitGuard, ServiceCallMetrics). */
export const mediaProviders: Provider[] = [mediaServiceClientProvider, MultipartRegistration, MediaErrorFilter];
