import dev.arbor.tokens.SigningKey;

import java.nio.file.Path;

/**
 * Makes a token signing key file (an RSA JWK, readable by its owner only) unless it exists, exactly as the apps make
 * theirs at first start: {@code java -cp cli/target/arbor-cli.jar ops/NewSigningKey.java FILE}. ops/compose-secrets
 * runs it; the CLI's own {@code --key-file} never creates a missing key.
 */
public class NewSigningKey {
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -cp cli/target/arbor-cli.jar ops/NewSigningKey.java FILE");
            System.exit(2);
        }
        System.out.println("signing key " + SigningKey.loadOrCreate(Path.of(args[0])).getKeyID() + " in " + args[0]);
    }
}
