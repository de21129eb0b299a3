package dev.racelab.examples.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A doctor on a shift, on call or not: the shift must always keep one on call. */
@Entity
@Table(name = "shop_doctor")
public class Doctor {
    @Id
    private Long id;
    private long shift;
    private boolean onCall;

    protected Doctor() {
    }

    public Doctor(long id, long shift, boolean onCall) {
        this.id = id;
        this.shift = shift;
        this.onCall = onCall;
    }

    public Long getId() {
        return id;
    }

    public long getShift() {
        return shift;
    }

    public boolean isOnCall() {
        return onCall;
    }

    public void setOnCall(boolean onCall) {
        this.onCall = onCall;
    }
}
