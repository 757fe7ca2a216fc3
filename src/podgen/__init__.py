"""podgen: regenerate, verify and ship the Symphony Pod API client from its OpenAPI document."""
