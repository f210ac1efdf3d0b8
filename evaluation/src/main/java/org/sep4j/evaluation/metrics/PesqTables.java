package org.sep4j.evaluation.metrics;

/**
 * The numeric tables of ITU-T P.862 (02/2001, with P.862.2 11/2005), as measured constants of the
 * standard. Each comes from the Recommendation's ANSI-C reference implementation (version 2.0,
 * October 2005), where it is named in brackets; nothing here is computed.
 *
 * <p>The Hz-domain band tables of the standard (band centres and widths in Hz) are not listed:
 * the model only uses the Bark-domain ones.
 */
final class PesqTables {

    private PesqTables() {
    }

    /** Search buffer around each signal, in VAD blocks [SEARCHBUFFER]. */
    static final int SEARCH_BUFFER = 75;
    /** Zeros after each signal, in ms [DATAPADDING_MSECS]. */
    static final int PADDING_MS = 320;
    /** Most utterances the alignment keeps [MAXNUTTERANCES]. */
    static final int MAX_UTTERANCES = 50;
    /** Shortest utterance, in VAD blocks [MINUTTLENGTH]. */
    static final int MIN_UTTERANCE = 50;
    /** Speech runs this short or shorter, in VAD blocks, are noise [MINSPEECHLGTH]. */
    static final int MIN_SPEECH = 4;
    /** Pauses this short or shorter, in VAD blocks, join speech runs [JOINSPEECHLGTH]. */
    static final int JOIN_SPEECH = 50;
    /** Mean power both signals are scaled to after the 300 Hz–3.25 kHz filter [TARGET_AVG_POWER]. */
    static final double TARGET_POWER = 1e7;

    /** The "above 300 Hz" level-alignment filter: {Hz, dB} [align_filter_dB]. */
    static final double[][] ALIGN_FILTER_DB = {
        {0, -500}, {50, -500}, {100, -500}, {125, -500}, {160, -500}, {200, -500}, {250, -500},
        {300, -500}, {350, 0}, {400, 0}, {500, 0}, {600, 0}, {630, 0}, {800, 0}, {1000, 0},
        {1250, 0}, {1600, 0}, {2000, 0}, {2500, 0}, {3000, 0}, {3250, 0}, {3500, -500},
        {4000, -500}, {5000, -500}, {6300, -500}, {8000, -500}};

    /** The modified-IRS receive characteristic: {Hz, dB} [standard_IRS_filter_dB]. */
    static final double[][] IRS_RECEIVE_DB = {
        {0, -200}, {50, -40}, {100, -20}, {125, -12}, {160, -6}, {200, 0}, {250, 4}, {300, 6},
        {350, 8}, {400, 10}, {500, 11}, {600, 12}, {700, 12}, {800, 12}, {1000, 12}, {1300, 12},
        {1600, 12}, {2000, 12}, {2500, 12}, {3000, 12}, {3250, 12}, {3500, 4}, {4000, -200},
        {5000, -200}, {6300, -200}, {8000, -200}};

    /** P.862.2 wideband input filter at 16 kHz, one section {b0, b1, b2, a1, a2} [WB_InIIR_Hsos_16k]. */
    static final float[] WIDEBAND_IIR_16K = {2.740826f, -5.4816519f, 2.740826f, -1.9444777f, 0.94597794f};

    /** Band-pass sections {b0, b1, b2, a1, a2} used only for VAD and alignment, 8 kHz [InIIR_Hsos_8k]. */
    static final float[] ALIGN_IIR_8K = {
        0.885535424f, -0.885535424f, 0.000000000f, -0.771070709f, 0.000000000f,
        0.895092588f, 1.292907193f, 0.449260174f, 1.268869037f, 0.442025372f,
        4.049527940f, -7.865190042f, 3.815662102f, -1.746859852f, 0.786305963f,
        0.500002353f, -0.500002353f, 0.000000000f, 0.000000000f, 0.000000000f,
        0.565002834f, -0.241585934f, -0.306009671f, 0.259688659f, 0.249979657f,
        2.115237288f, 0.919935084f, 1.141240051f, -1.587313419f, 0.665935315f,
        0.912224584f, -0.224397719f, -0.641121413f, -0.246029464f, -0.556720590f,
        0.444617727f, -0.307589321f, 0.141638062f, -0.996391149f, 0.502251622f};

    /** The same at 16 kHz [InIIR_Hsos_16k]. */
    static final float[] ALIGN_IIR_16K = {
        0.325631521f, -0.086782860f, -0.238848661f, -1.079416490f, 0.434583902f,
        0.403961804f, -0.556985881f, 0.153024077f, -0.415115835f, 0.696590244f,
        4.736162769f, 3.287251046f, 1.753289019f, -1.859599046f, 0.876284034f,
        0.365373469f, 0.000000000f, 0.000000000f, -0.634626531f, 0.000000000f,
        0.884811506f, 0.000000000f, 0.000000000f, -0.256725271f, 0.141536777f,
        0.723593055f, -1.447186099f, 0.723593044f, -1.129587469f, 0.657232737f,
        1.644910855f, -1.817280902f, 1.249658063f, -1.778403899f, 0.801724355f,
        0.633692689f, -0.284644314f, -0.319789663f, 0.000000000f, 0.000000000f,
        1.032763031f, 0.268428979f, 0.602913323f, 0.000000000f, 0.000000000f,
        1.001616361f, -0.823749013f, 0.439731942f, -0.885778255f, 0.000000000f,
        0.752472096f, -0.375388990f, 0.188977609f, -0.077258216f, 0.247230734f,
        1.023700575f, 0.001661628f, 0.521284240f, -0.183867259f, 0.354324187f};

    /** FFT bins summed into each Bark band, 8 kHz (42 bands) [nr_of_hz_bands_per_bark_band_8k]. */
    private static final int[] BINS_PER_BAND_8K = {
        1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4,
        3, 4, 5, 4, 5, 6, 6, 7, 8, 9, 9, 11};

    /** The same at 16 kHz (49 bands) [nr_of_hz_bands_per_bark_band_16k]. */
    private static final int[] BINS_PER_BAND_16K = {
        1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4,
        3, 4, 5, 4, 5, 6, 6, 7, 8, 9, 9, 12, 12, 15, 16, 18, 21, 25, 20};

    /** Band centres in Bark; 8 kHz uses the first 42 [centre_of_band_bark_16k]. */
    private static final double[] CENTRE_BARK = {
        0.078672, 0.316341, 0.636559, 0.961246, 1.290450, 1.624217, 1.962597, 2.305636, 2.653383,
        3.005889, 3.363201, 3.725371, 4.092449, 4.464486, 4.841533, 5.223642, 5.610866, 6.003256,
        6.400869, 6.803755, 7.211971, 7.625571, 8.044611, 8.469146, 8.899232, 9.334927, 9.776288,
        10.223374, 10.676242, 11.134952, 11.599563, 12.070135, 12.546731, 13.029408, 13.518232,
        14.013264, 14.514566, 15.022202, 15.536238, 16.056736, 16.583761, 17.117382, 17.657663,
        18.204674, 18.758478, 19.319147, 19.886751, 20.461355, 21.043034};

    /** Band widths in Bark; 8 kHz uses the first 42 [width_of_band_bark_16k]. */
    private static final double[] WIDTH_BARK = {
        0.157344, 0.317994, 0.322441, 0.326934, 0.331474, 0.336061, 0.340697, 0.345381, 0.350114,
        0.354897, 0.359729, 0.364611, 0.369544, 0.374529, 0.379565, 0.384653, 0.389794, 0.394989,
        0.400236, 0.405538, 0.410894, 0.416306, 0.421773, 0.427297, 0.432877, 0.438514, 0.444209,
        0.449962, 0.455774, 0.461645, 0.467577, 0.473569, 0.479621, 0.485736, 0.491912, 0.498151,
        0.504454, 0.510819, 0.517250, 0.523745, 0.530308, 0.536934, 0.543629, 0.550390, 0.557220,
        0.564119, 0.571085, 0.578125, 0.585232};

    /** Power-density correction per band, 8 kHz [pow_dens_correction_factor_8k]. */
    private static final double[] POWER_CORRECTION_8K = {
        100.000000, 99.999992, 100.000000, 100.000008, 100.000008, 100.000015, 99.999992,
        99.999969, 50.000027, 100.000000, 99.999969, 100.000015, 99.999947, 100.000061, 53.047077,
        110.000046, 117.991989, 65.000000, 68.760147, 69.999931, 71.428818, 75.000038, 76.843384,
        80.968781, 88.646126, 63.864388, 68.155350, 72.547775, 75.584831, 58.379192, 80.950836,
        64.135651, 54.384785, 73.821884, 64.437073, 59.176456, 65.521278, 61.399822, 58.144047,
        57.004543, 64.126297, 59.248363};

    /** The same at 16 kHz [pow_dens_correction_factor_16k]. */
    private static final double[] POWER_CORRECTION_16K = {
        100.000000, 99.999992, 100.000000, 100.000008, 100.000008, 100.000015, 99.999992,
        99.999969, 50.000027, 100.000000, 99.999969, 100.000015, 99.999947, 100.000061, 53.047077,
        110.000046, 117.991989, 65.000000, 68.760147, 69.999931, 71.428818, 75.000038, 76.843384,
        80.968781, 88.646126, 63.864388, 68.155350, 72.547775, 75.584831, 58.379192, 80.950836,
        64.135651, 54.384785, 73.821884, 64.437073, 59.176456, 65.521278, 61.399822, 58.144047,
        57.004543, 64.126297, 54.311001, 61.114979, 55.077751, 56.849335, 55.628868, 53.137054,
        54.985844, 79.546974};

    /** Absolute hearing threshold per band, as power; 8 kHz uses the first 42 [abs_thresh_power_16k]. */
    private static final double[] HEARING_THRESHOLD = {
        51286152.000000, 2454709.500000, 70794.593750, 4897.788574, 1174.897705, 389.045166,
        104.712860, 45.708820, 17.782795, 9.772372, 4.897789, 3.090296, 1.905461, 1.258925,
        0.977237, 0.724436, 0.562341, 0.457088, 0.389045, 0.331131, 0.295121, 0.269153, 0.257040,
        0.251189, 0.251189, 0.251189, 0.251189, 0.263027, 0.288403, 0.309030, 0.338844, 0.371535,
        0.398107, 0.436516, 0.467735, 0.489779, 0.501187, 0.501187, 0.512861, 0.524807, 0.524807,
        0.524807, 0.512861, 0.478630, 0.426580, 0.371535, 0.363078, 0.416869, 0.537032};

    /**
     * The Bark-band layout of one sample rate, with the power (Sp) and loudness (Sl) scaling
     * constants that calibrate it [Sp_8k, Sl_8k, Sp_16k, Sl_16k].
     */
    record Bands(int[] binsPerBand, double[] centreBark, double[] widthBark, double[] powerCorrection,
            double[] hearingThreshold, double powerScale, double loudnessScale) {

        int count() {
            return binsPerBand.length;
        }
    }

    static final Bands BANDS_8K = new Bands(BINS_PER_BAND_8K, java.util.Arrays.copyOf(CENTRE_BARK, 42),
            java.util.Arrays.copyOf(WIDTH_BARK, 42), POWER_CORRECTION_8K, java.util.Arrays.copyOf(HEARING_THRESHOLD, 42),
            2.764344e-5, 1.866055e-1);

    static final Bands BANDS_16K = new Bands(BINS_PER_BAND_16K, CENTRE_BARK, WIDTH_BARK, POWER_CORRECTION_16K,
            HEARING_THRESHOLD, 6.910853e-6, 1.866055e-1);
}
