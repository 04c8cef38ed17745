import CFFmpeg
import COpenSSL
import COpus
import CSRTP
import CVPX
import Testing
import TesseraTransport

/// Each system-library shim links and its library answers a real call.
@Suite struct ShimSmokeTests {
    @Test func opusEncoderIsCreatedAndFreed() {
        var error: Int32 = 0
        let encoder = opus_encoder_create(48_000, 1, OPUS_APPLICATION_VOIP, &error)
        #expect(error == OPUS_OK)
        #expect(encoder != nil)
        opus_encoder_destroy(encoder)
    }

    @Test func vp8EncoderIsInitialisedAndDestroyed() {
        var config = vpx_codec_enc_cfg_t()
        #expect(vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &config, 0) == VPX_CODEC_OK)
        config.g_w = 320
        config.g_h = 180
        var codec = vpx_codec_ctx_t()
        let result = tessera_vpx_enc_init(&codec, vpx_codec_vp8_cx(), &config, 0)
        #expect(result == VPX_CODEC_OK)
        #expect(vpx_codec_destroy(&codec) == VPX_CODEC_OK)
    }

    @Test func srtpSessionIsCreatedAndDeallocated() {
        // libsrtp's init is not thread-safe; the transport owns it and other suites in this
        // process use it at the same time, so initialise through the one owner.
        #expect(throws: Never.self) { try SRTPLibrary.initialize() }
        var policy = srtp_policy_t()
        srtp_crypto_policy_set_rtp_default(&policy.rtp)
        srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        var key = [UInt8](repeating: 7, count: 30)
        var session: srtp_t?
        key.withUnsafeMutableBufferPointer { buffer in
            policy.key = buffer.baseAddress
            policy.ssrc.type = ssrc_any_inbound
            policy.window_size = 1024
            #expect(srtp_create(&session, &policy) == srtp_err_status_ok)
        }
        #expect(session != nil)
        #expect(srtp_dealloc(session) == srtp_err_status_ok)
    }

    @Test func dtlsContextIsCreatedWithSRTPProfiles() {
        let context = SSL_CTX_new(DTLS_server_method())
        #expect(context != nil)
        // SSL_CTX_set_tlsext_use_srtp returns 0 on success.
        #expect(SSL_CTX_set_tlsext_use_srtp(context, "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80") == 0)
        SSL_CTX_free(context)
    }

    @Test func avcodecContextIsAllocatedForH264() {
        let codec = avcodec_find_decoder(AV_CODEC_ID_H264)
        #expect(codec != nil)
        var context = avcodec_alloc_context3(codec)
        #expect(context != nil)
        #expect(avcodec_open2(context, codec, nil) == 0)
        avcodec_free_context(&context)
        #expect(context == nil)
    }

    @Test func swscaleContextIsCreatedForI420() {
        let context = sws_getContext(640, 360, AV_PIX_FMT_YUV420P, 320, 180, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nil, nil, nil)
        #expect(context != nil)
        sws_freeContext(context)
    }
}
