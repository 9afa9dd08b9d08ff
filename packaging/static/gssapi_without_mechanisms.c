/* The GSS-API of the self-contained release binary (MLM_STATIC_DEPS=ON): one that offers no
 * security mechanism.
 *
 * Debian's libgit2.a (the one carrying Debian's security fixes) is built with GSS-API for HTTP
 * "Negotiate" (Kerberos/SPNEGO) authentication, but Kerberos cannot be linked statically: Debian
 * ships no static MIT krb5 libraries, and Kerberos needs its host configuration and plugins
 * anyway. The release binary answers libgit2's questions as GSS-API does on a host with no
 * mechanism configured: gss_indicate_mechs() returns an empty set, so libgit2 reports
 * "negotiate authentication is not supported" for a server that only offers Negotiate; every
 * other transport and authentication scheme (HTTPS with Basic or NTLM, SSH) is untouched. The
 * other entry points are only reached after a mechanism was found; they fail as GSS-API does for
 * a mechanism that is not available.
 *
 * Signatures and constants come from MIT's <gssapi/gssapi.h> (libkrb5-dev), the header
 * Debian's libgit2 was compiled against. */
#include <gssapi/gssapi.h>
#include <stdlib.h>

static gss_OID_desc hostbased_service = {10, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x04"};
gss_OID GSS_C_NT_HOSTBASED_SERVICE = &hostbased_service; /* RFC 2743 4.1: 1.2.840.113554.1.2.1.4 */

OM_uint32 gss_indicate_mechs(OM_uint32 *minor_status, gss_OID_set *mech_set) {
  *minor_status = 0;
  *mech_set = GSS_C_NO_OID_SET;
  return GSS_S_COMPLETE;
}

OM_uint32 gss_release_oid_set(OM_uint32 *minor_status, gss_OID_set *set) {
  *minor_status = 0;
  if (set) *set = GSS_C_NO_OID_SET; /* gss_indicate_mechs allocated nothing */
  return GSS_S_COMPLETE;
}

OM_uint32 gss_import_name(OM_uint32 *minor_status, gss_buffer_t input_name_buffer, gss_OID input_name_type,
                          gss_name_t *output_name) {
  (void)input_name_buffer;
  (void)input_name_type;
  *minor_status = 0;
  *output_name = GSS_C_NO_NAME;
  return GSS_S_UNAVAILABLE;
}

OM_uint32 gss_release_name(OM_uint32 *minor_status, gss_name_t *input_name) {
  *minor_status = 0;
  if (input_name) *input_name = GSS_C_NO_NAME;
  return GSS_S_COMPLETE;
}

OM_uint32 gss_init_sec_context(OM_uint32 *minor_status, gss_cred_id_t claimant_cred_handle,
                               gss_ctx_id_t *context_handle, gss_name_t target_name, gss_OID mech_type,
                               OM_uint32 req_flags, OM_uint32 time_req, gss_channel_bindings_t input_chan_bindings,
                               gss_buffer_t input_token, gss_OID *actual_mech_type, gss_buffer_t output_token,
                               OM_uint32 *ret_flags, OM_uint32 *time_rec) {
  (void)claimant_cred_handle, (void)context_handle, (void)target_name, (void)mech_type, (void)req_flags;
  (void)time_req, (void)input_chan_bindings, (void)input_token, (void)actual_mech_type, (void)ret_flags;
  (void)time_rec;
  *minor_status = 0;
  if (output_token) {
    output_token->length = 0;
    output_token->value = NULL;
  }
  return GSS_S_UNAVAILABLE;
}

OM_uint32 gss_delete_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle, gss_buffer_t output_token) {
  *minor_status = 0;
  if (context_handle) *context_handle = GSS_C_NO_CONTEXT;
  if (output_token) {
    output_token->length = 0;
    output_token->value = NULL;
  }
  return GSS_S_COMPLETE;
}

OM_uint32 gss_release_buffer(OM_uint32 *minor_status, gss_buffer_t buffer) {
  *minor_status = 0;
  if (buffer) {
    free(buffer->value); /* only gss_display_status below fills buffers, with malloc */
    buffer->length = 0;
    buffer->value = NULL;
  }
  return GSS_S_COMPLETE;
}

OM_uint32 gss_display_status(OM_uint32 *minor_status, OM_uint32 status_value, int status_type, gss_OID mech_type,
                             OM_uint32 *message_context, gss_buffer_t status_string) {
  static const char text[] = "no GSS-API mechanism in this build (Kerberos is not linked)";
  (void)status_value, (void)status_type, (void)mech_type;
  *minor_status = 0;
  *message_context = 0;
  status_string->value = malloc(sizeof text);
  if (!status_string->value) {
    status_string->length = 0;
    return GSS_S_FAILURE;
  }
  for (size_t i = 0; i < sizeof text; i++) ((char *)status_string->value)[i] = text[i];
  status_string->length = sizeof text - 1;
  return GSS_S_COMPLETE;
}
