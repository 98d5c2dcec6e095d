/**
 * The {@code gateway} section as a whole: reads it once at start-up by handing each section to the capability that
 * owns it, and the routes (with their policy, authentication, rate limit and CORS) in between. Sits above the
 * capabilities it assembles; only the pipeline and the application use it.
 */
package dev.refgateway.gateway.settings;
