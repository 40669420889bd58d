// Replaced by the Medusa admin's Vite build (see @medusajs/admin-bundler); may be absent.
declare const __BACKEND_URL__: string | undefined
declare const __AUTH_TYPE__: string | undefined
declare const __JWT_TOKEN_STORAGE_KEY__: string | undefined
