/* Standalone driver shared by the fuzz harnesses: without libFuzzer (no -DTFM_LIBFUZZER), runs
   LLVMFuzzerTestOneInput once on each file named on the command line (reproducing a crash, or a
   smoke test over seed files). A harness may define FUZZ_CLEANUP() to free what it keeps between
   inputs, so a leak checker sees a clean exit. */
#ifndef TFM_LIBFUZZER
#ifndef FUZZ_CLEANUP
#define FUZZ_CLEANUP() ((void)0)
#endif
int main(int argc, char **argv) {
    int i;
    for (i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        long n;
        unsigned char *buf;
        if (!f) {
            fprintf(stderr, "cannot open %s\n", argv[i]);
            FUZZ_CLEANUP();
            return 2;
        }
        fseek(f, 0, SEEK_END);
        n = ftell(f);
        fseek(f, 0, SEEK_SET);
        buf = (unsigned char *)malloc(n > 0 ? (size_t)n : 1);
        if (!buf || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
            fprintf(stderr, "cannot read %s\n", argv[i]);
            fclose(f);
            free(buf);
            FUZZ_CLEANUP();
            return 2;
        }
        fclose(f);
        LLVMFuzzerTestOneInput(buf, (size_t)n);
        free(buf);
        printf("%s: ok\n", argv[i]);
    }
    FUZZ_CLEANUP();
    return 0;
}
#endif
