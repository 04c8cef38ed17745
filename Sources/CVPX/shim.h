#include <vpx/vpx_encoder.h>
#include <vpx/vpx_decoder.h>
#include <vpx/vp8cx.h>
#include <vpx/vp8dx.h>

/* vpx_codec_enc_init / vpx_codec_dec_init are macros that pass the ABI version the
   headers were built with; Swift cannot call macros, so these inline functions do. */
static inline vpx_codec_err_t tessera_vpx_enc_init(vpx_codec_ctx_t *ctx, vpx_codec_iface_t *iface,
                                                   const vpx_codec_enc_cfg_t *cfg, vpx_codec_flags_t flags) {
    return vpx_codec_enc_init(ctx, iface, cfg, flags);
}

static inline vpx_codec_err_t tessera_vpx_dec_init(vpx_codec_ctx_t *ctx, vpx_codec_iface_t *iface,
                                                   const vpx_codec_dec_cfg_t *cfg, vpx_codec_flags_t flags) {
    return vpx_codec_dec_init(ctx, iface, cfg, flags);
}

/* vpx_codec_control is a macro that expands to a per-control typed function
   (vpx_codec_control_VP8E_SET_CPUUSED); Swift sees neither, so each control we use gets one wrapper. */

/* VP8E_SET_CPUUSED: encoder speed/quality trade-off, -16...16 for VP8; higher is faster. */
static inline vpx_codec_err_t tessera_vp8e_set_cpuused(vpx_codec_ctx_t *ctx, int cpu_used) {
    return vpx_codec_control(ctx, VP8E_SET_CPUUSED, cpu_used);
}
