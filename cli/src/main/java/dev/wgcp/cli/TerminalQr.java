package dev.wgcp.cli;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/** A QR code drawn with Unicode half blocks, two modules per character cell, dark on a light quiet zone. */
final class TerminalQr {

    private TerminalQr() {
    }

    static String render(String text) {
        BitMatrix m;
        try {
            m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L, EncodeHintType.MARGIN, 2,
                            EncodeHintType.CHARACTER_SET, "UTF-8"));
        } catch (WriterException e) {
            throw new Api.ApiException(1, "the configuration does not fit in a QR code: " + e.getMessage());
        }
        StringBuilder sb = new StringBuilder();
        for (int y = 0; y < m.getHeight(); y += 2) {
            for (int x = 0; x < m.getWidth(); x++) {
                // Light modules print as blocks so that the code reads on a dark terminal too.
                boolean top = !m.get(x, y);
                boolean bottom = y + 1 < m.getHeight() && !m.get(x, y + 1);
                sb.append(top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
